import { IsBoolean, IsInt, Max, Min } from 'class-validator';

export class ForumSettings {
  /** The largest post body, in bytes of UTF-8 (a larger one is refused with 413). */
  @IsInt()
  @Min(1000)
  @Max(900_000)
  maxPostBytes = 100_000;

  /** Posts on one page of a topic (the page numbers of the topic view). */
  @IsInt()
  @Min(5)
  @Max(100)
  postsPerPage = 20;

  /** Topics on one page of a category. */
  @IsInt()
  @Min(5)
  @Max(100)
  topicsPerPage = 30;

  /** Most tags on one topic. */
  @IsInt()
  @Min(0)
  @Max(20)
  maxTags = 5;

  /** Whether the author of a topic watches it from the start. */
  @IsBoolean()
  watchOwnTopics = true;

  /** Topics without activity for longer than this many days never count as unread. */
  @IsInt()
  @Min(1)
  @Max(3650)
  unreadWindowDays = 30;

  /**
   * Set once `forum.backfill-audiences` has given older topics and posts their category's audience;
   * set it back to false to have the forum queue it again when it next starts.
   */
  @IsBoolean()
  audiencesBackfilled = false;
}
