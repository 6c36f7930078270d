import { IsBoolean, IsInt, Max, Min } from 'class-validator';

/** Settings of the whole intranet (`PUT /api/v1/moderation/settings`, or the settings page). */
export class ModerationSettings {
  /** Reports from this many different members hide an item until a moderator reviews it (0: never). */
  @IsInt()
  @Min(0)
  @Max(100)
  reportThreshold = 3;

  /** The first this many posts of a new account are held for review (0: none). */
  @IsInt()
  @Min(0)
  @Max(50)
  newAccountHoldCount = 0;

  /** Whether authors see the name of the moderator who decided (otherwise their role only). */
  @IsBoolean()
  revealModeratorNames = false;

  /** How far back a dry run of a new rule looks, in days. */
  @IsInt()
  @Min(1)
  @Max(365)
  dryRunDays = 90;

  /** How long the gate lets the regular expressions of all rules run on one submission. */
  @IsInt()
  @Min(5)
  @Max(1000)
  regexTimeoutMs = 50;
}
