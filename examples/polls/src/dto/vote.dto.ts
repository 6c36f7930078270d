import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class VoteDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(36)
  optionId: string;
}
