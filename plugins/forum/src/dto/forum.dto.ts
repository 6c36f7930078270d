import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/**
 * Request bodies of the JSON API. Types are checked here; lengths, patterns and the body size
 * (413 above the limit) are checked by the services, which name the field in each problem.
 */
export class CreateCategoryDto {
  /** 2–64 characters: a-z, 0-9 and single dashes inside. */
  @IsString() @MaxLength(200) slug: string;
  /** 1–100 characters, one line. */
  @IsString() @MaxLength(1000) name: string;
  /** Plain text, at most 1,000 characters. */
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  /** A space id or slug: the category and everything in it share the space's visibility. */
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  /** A top-level category (categories nest one level). */
  @IsOptional() @IsString() @MaxLength(64) parentId?: string | null;
  /** Order among its siblings, smallest first (default: last). */
  @IsOptional() @IsInt() @Min(0) position?: number;
}

export class UpdateCategoryDto {
  @IsOptional() @IsString() @MaxLength(200) slug?: string;
  @IsOptional() @IsString() @MaxLength(1000) name?: string;
  @IsOptional() @IsString() @MaxLength(5000) description?: string | null;
  /** Only while the category has no topics. */
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  @IsOptional() @IsString() @MaxLength(64) parentId?: string | null;
  @IsOptional() @IsInt() @Min(0) position?: number;
}

/** For each action, the roles allowed (`anonymous`, `member`, a global role, `space:member|moderator|admin`), or null to inherit. */
export class GrantsDto {
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) read?: string[] | null;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) create?: string[] | null;
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) reply?: string[] | null;
}

export class CreateTopicDto {
  /** 1–200 characters, one line. */
  @IsString() @MaxLength(2000) title: string;
  /** Markdown; at most `maxPostBytes` (100 kB) of UTF-8. */
  @IsString() body: string;
  /** At most `maxTags` (5): letters, digits, `_` and `-`. */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) tags?: string[];
}

export class ReplyDto {
  @IsString() body: string;
  /** A post the reply quotes: its text is kept with the reply as it is now, with a link back. */
  @IsOptional() @IsString() @MaxLength(64) quotePostId?: string | null;
}

export class EditPostDto {
  @IsOptional() @IsString() body?: string;
  /** A new title (opening posts only). */
  @IsOptional() @IsString() @MaxLength(2000) title?: string;
  /** The version this text was based on; a stale one answers 409 with both texts. */
  @IsInt() @Min(1) baseVersion: number;
}

export class UpdateTopicDto {
  /** `true` or `'category'`: pinned in its category; `'global'`: on top everywhere; `false`: unpinned. */
  @IsOptional() @IsIn([true, false, 'category', 'global']) pinned?: boolean | 'category' | 'global';
  /** When the pin ends (ISO-8601), or null. */
  @IsOptional() @IsString() @MaxLength(40) pinnedUntil?: string | null;
  @IsOptional() @IsBoolean() locked?: boolean;
  /** Move to this category (id or slug) of the same space. */
  @IsOptional() @IsString() @MaxLength(64) categoryId?: string;
  /** Rename. */
  @IsOptional() @IsString() @MaxLength(2000) title?: string;
}

export class CloseTopicDto {
  /** Shown in the thread, at most 500 characters. */
  @IsString() @MaxLength(5000) reason: string;
}

export class SplitTopicDto {
  /** Replies of this topic to move (not the opening post). */
  @IsArray() @ArrayMaxSize(1000) @IsString({ each: true }) postIds: string[];
  @IsString() @MaxLength(2000) title: string;
  /** The new topic's category (same space); default: this topic's. */
  @IsOptional() @IsString() @MaxLength(64) categoryId?: string;
}

export class MergeTopicDto {
  /** The topic that receives this one's posts. */
  @IsString() @MaxLength(64) intoTopicId: string;
}

export class SolutionDto {
  /** A published reply of this topic. */
  @IsString() @MaxLength(64) postId: string;
}

export class WatchDto {
  @IsIn(['watching', 'normal', 'muted']) level: 'watching' | 'normal' | 'muted';
}

export class ReadPositionDto {
  /** The last post read (a post of this topic). */
  @IsString() @MaxLength(64) postId: string;
}
