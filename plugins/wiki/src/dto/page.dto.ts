import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/**
 * Request bodies of the JSON API. Types are checked here; lengths, slug rules and the body size
 * (413 above the limit) are checked by the service, which names the field in each problem.
 */
export class CreatePageDto {
  /** 1–200 characters, one line. */
  @IsString() title: string;
  /** Markdown; at most `maxBodyBytes` (200 kB) of UTF-8. */
  @IsOptional() @IsString() body?: string;
  /** A space id or slug; absent for an organisation-wide page (or the parent's space). */
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  @IsOptional() @IsString() @MaxLength(36) parentId?: string | null;
  /** a-z, 0-9 and single dashes; made from the title when absent. */
  @IsOptional() @IsString() @MaxLength(200) slug?: string | null;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string | null;
  /** Start from this template's text. */
  @IsOptional() @IsString() @MaxLength(36) templateId?: string | null;
}

export class UpdatePageDto {
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsString() body?: string;
  /** A new slug (the old path then redirects); a new title makes a new slug when this is absent. */
  @IsOptional() @IsString() @MaxLength(200) slug?: string;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
  /** The revision this text was based on; a stale one answers 409 with both texts. */
  @IsInt() @Min(1) baseRevision: number;
}

export class MovePageDto {
  /** The new parent in the same space; null or absent for the top level. */
  @IsOptional() @IsString() @MaxLength(36) parentId?: string | null;
}

export class RestoreRevisionDto {
  /** The revision the restore is based on (default: the current one). */
  @IsOptional() @IsInt() @Min(1) baseRevision?: number;
  @IsOptional() @IsString() @MaxLength(1000) summary?: string;
}

export class TemplateDto {
  @IsBoolean() template: boolean;
}

export class WatchDto {
  /** `page`: this page; `subtree`: this page and every page under it. */
  @IsIn(['page', 'subtree']) mode: 'page' | 'subtree';
}
