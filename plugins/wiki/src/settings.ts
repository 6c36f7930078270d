import { IsBoolean, IsInt, Max, Min } from 'class-validator';

export class WikiSettings {
  /** The largest page body, in bytes of UTF-8 (a larger one is refused with 413). */
  @IsInt()
  @Min(1000)
  @Max(900_000)
  maxBodyBytes = 200_000;

  /** Whether the creator of a page watches it from the start. */
  @IsBoolean()
  watchOwnPages = true;
}
