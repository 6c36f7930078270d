import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';

/**
 * Request bodies of the JSON API. Types are checked here; the text itself (length in characters
 * as a person counts them, control characters, broken encoding) is checked by the service, which
 * names the field and the configured limit.
 */
export class CreatePostDto {
  /** Markdown; at most the configured number of characters (500 by default). */
  @IsString() body: string;
  /** A space id or slug; absent for an organisation-wide post. A reply takes its parent's space. */
  @IsOptional() @IsString() @MaxLength(64) spaceId?: string | null;
  /** The post this one replies to. */
  @IsOptional() @IsString() @MaxLength(64) replyToId?: string | null;
  @IsOptional() @IsIn(['post', 'question']) kind?: 'post' | 'question' | null;
}

export class UpdatePostDto {
  @IsString() body: string;
  /** The version the new text is based on; a stale one answers 409. */
  @IsOptional() @IsInt() @Min(1) version?: number | null;
}

export class ReactDto {
  /** One of the fixed set (👍 ❤️ 🎉 😄 🤔 👀), or its name (`thumbs-up`, `heart`, …). */
  @IsString() @MaxLength(32) emoji: string;
}

export class AnswerDto {
  /** A reply to the question. */
  @IsString() @MaxLength(64) replyId: string;
}

export class PinDto {
  /** When the pin ends (ISO 8601, in the future); absent or null: until unpinned. */
  @IsOptional() @IsISO8601({ strict: true }) until?: string | null;
}
