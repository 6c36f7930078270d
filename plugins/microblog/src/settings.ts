import { IsInt, Max, Min } from 'class-validator';

export class MicroblogSettings {
  /** The longest post, in characters as a person counts them (graphemes: an emoji or an accented letter is one). */
  @IsInt()
  @Min(10)
  @Max(5000)
  maxLength = 500;

  /** How often an open stream asks for new posts, in seconds (pages with JavaScript on). */
  @IsInt()
  @Min(5)
  @Max(3600)
  pollSeconds = 20;
}
