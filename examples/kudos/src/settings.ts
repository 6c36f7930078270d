import { IsInt, Max, Min } from 'class-validator';

export class KudosSettings {
  /** The longest message a kudo may carry, in characters. */
  @IsInt()
  @Min(1)
  @Max(1000)
  maxMessageLength = 280;
}
