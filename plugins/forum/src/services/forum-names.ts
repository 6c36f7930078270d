import { HttpException, HttpStatus } from '@nestjs/common';
import { InvalidInput, type FieldProblem } from '@plein/sdk';

export const MAX_TITLE = 200;
export const MAX_CATEGORY_NAME = 100;
export const MAX_DESCRIPTION = 1000;
export const MAX_REASON = 500;
export const MAX_TAG = 32;

/** A category slug is one URL segment: lower-case ASCII letters, digits and single dashes inside. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,63}$/;
/** Slugs that would collide with the forum's own addresses under `/forum/c/`. */
const RESERVED_SLUGS = new Set(['new', 'edit']);
/** A tag: letters and digits of any script, `_` and `-`, starting with a letter or digit. */
export const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u;
/** A role named in a category grant: a global role, or the user's role in the category's space. */
export const GRANT_ROLE_PATTERN = /^(?:space:(?:member|moderator|admin)|[a-z][a-z0-9-]{1,31})$/;

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The messages the services answer with; the pages map them to catalogue keys. */
export const FORUM_MESSAGES = {
  empty: 'must not be empty',
  titleTooLong: `must be at most ${MAX_TITLE} characters`,
  oneLine: 'must be one line without control characters',
  nameTooLong: `must be at most ${MAX_CATEGORY_NAME} characters`,
  descriptionTooLong: `must be at most ${MAX_DESCRIPTION} characters`,
  reasonTooLong: `must be at most ${MAX_REASON} characters`,
  slugInvalid: 'must be 2–64 characters: a-z, 0-9 and single dashes inside',
  slugTaken: 'another category already has this slug',
  tagInvalid: `each tag must be 1–${MAX_TAG} letters, digits, _ or -, starting with a letter or digit`,
  tooManyTags: 'has more tags than allowed ({limit})',
  bodyTooLarge: 'is larger than the limit of {limit} bytes',
  categoryUnknown: 'no such category',
  parentUnknown: 'no such top-level category',
  parentNested: 'categories nest one level: the parent must be a top-level category without a parent',
  parentHasChildren: 'a category with subcategories cannot become a subcategory',
  parentOtherSpace: 'must be in the same space as its parent',
  otherSpace: 'must be a category in the same space (content does not move between spaces)',
  spaceHasTopics: 'cannot change while the category has topics',
  postUnknown: 'no such post in this topic',
  postIsOpening: 'must be a reply, not the opening post',
  quoteUnknown: 'no such post, or you cannot see it',
  topicUnknown: 'no such topic, or you cannot see it',
  sameTopic: 'must be another topic',
  grantRole: 'roles are global role names or space:member, space:moderator, space:admin',
  untilPast: 'must be in the future',
  untilInvalid: 'must be an ISO-8601 date and time',
  noPosts: 'choose at least one reply',
  notNumber: 'must be a whole number of 1 or more',
} as const;

export function invalid(field: string, message: string): InvalidInput {
  return new InvalidInput([{ field, message }]);
}

/** A one-line text: trimmed, 1–`max` characters, no control characters. */
export function checkLine(value: unknown, field: string, max: number, tooLong: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!trimmed) throw invalid(field, FORUM_MESSAGES.empty);
  if ([...trimmed].length > max) throw invalid(field, tooLong);
  if (CONTROL.test(trimmed)) throw invalid(field, FORUM_MESSAGES.oneLine);
  return trimmed;
}

export function checkTitle(value: unknown, field = 'title'): string {
  return checkLine(value, field, MAX_TITLE, FORUM_MESSAGES.titleTooLong);
}

export function checkReason(value: unknown, field = 'reason'): string {
  const text = (typeof value === 'string' ? value : '').replace(/\s+/g, ' ').trim();
  if (!text) throw invalid(field, FORUM_MESSAGES.empty);
  if ([...text].length > MAX_REASON) throw invalid(field, FORUM_MESSAGES.reasonTooLong);
  return text;
}

export function checkSlug(value: unknown, field = 'slug'): string {
  const slug = typeof value === 'string' ? value : '';
  if (!SLUG_PATTERN.test(slug) || RESERVED_SLUGS.has(slug)) throw invalid(field, FORUM_MESSAGES.slugInvalid);
  return slug;
}

export function checkDescription(value: unknown): string {
  const text = typeof value === 'string' ? value.replace(/\r\n/g, '\n').trim() : '';
  if ([...text].length > MAX_DESCRIPTION) throw invalid('description', FORUM_MESSAGES.descriptionTooLong);
  return text;
}

/** Tags: trimmed, lower case, without `#`, without duplicates, in the order given. */
export function checkTags(value: unknown, max: number): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : null;
  if (!list) throw invalid('tags', FORUM_MESSAGES.tagInvalid);
  const tags: string[] = [];
  for (const raw of list) {
    if (typeof raw !== 'string') throw invalid('tags', FORUM_MESSAGES.tagInvalid);
    const tag = raw.trim().replace(/^#/, '').normalize('NFC').toLowerCase();
    if (!tag) continue;
    if ([...tag].length > MAX_TAG || !TAG_PATTERN.test(tag)) throw invalid('tags', FORUM_MESSAGES.tagInvalid);
    if (!tags.includes(tag)) tags.push(tag);
  }
  if (tags.length > max) throw invalid('tags', FORUM_MESSAGES.tooManyTags.replace('{limit}', String(max)));
  return tags;
}

/**
 * A post body: not empty, within the limit. Above it: 413 naming the field (the HTTP layer accepts
 * up to 1 MiB, so the forum's own limit is checked here, in bytes of UTF-8).
 */
export function checkBody(value: unknown, limit: number, field = 'body'): string {
  const body = typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '';
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > limit) {
    const message = FORUM_MESSAGES.bodyTooLarge.replace('{limit}', String(limit));
    const errors: FieldProblem[] = [{ field, message }];
    throw new HttpException(
      { title: 'Payload too large', detail: `${field}: ${message} (found ${bytes})`, errors },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
  if (!body.trim()) throw invalid(field, FORUM_MESSAGES.empty);
  return body;
}

/** A future time for a pin's end, or null. */
export function checkUntil(value: unknown, now: Date, field = 'pinnedUntil'): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const at =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?(Z|[+-]\d{2}:?\d{2})?$/.test(value)
      ? new Date(value)
      : null;
  if (!at || Number.isNaN(at.getTime())) throw invalid(field, FORUM_MESSAGES.untilInvalid);
  if (at.getTime() <= now.getTime()) throw invalid(field, FORUM_MESSAGES.untilPast);
  return at;
}

/** A whole number ≥ 1 from a query string or form, else a 422 naming the field. */
export function wholeNumber(value: unknown, field: string): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalid(field, FORUM_MESSAGES.notNumber);
  return n;
}

/** An id-like string worth a lookup (longer ones cannot be ours). */
export function idLike(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 64;
}

/** The 423 of a locked or closed topic. */
export class TopicLockedError extends HttpException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super({ title: 'Locked', detail, ...extra }, HttpStatus.LOCKED);
  }
}

/** A unique index refused the row (a concurrent insert of the same key). */
export function isDuplicate(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return /ER_DUP_ENTRY|UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(`${e?.code ?? ''} ${e?.message ?? ''}`);
}
