import { HttpException, HttpStatus } from '@nestjs/common';
import { InvalidInput, type FieldProblem } from '@plein/sdk';
import { ORG_SPACE_KEY } from '../entities/wiki-page.entity';

/** Longest title, in characters. */
export const MAX_TITLE = 200;
/** Longest slug, in characters. */
export const MAX_SLUG = 100;
/** Longest path (slugs from the root joined by `/`), in characters: bounds the nesting depth. */
export const MAX_PATH = 500;
/** Longest edit summary, in characters. */
export const MAX_SUMMARY = 300;

/**
 * A slug is one URL segment: lower-case ASCII letters, digits and single dashes inside. Nothing
 * else passes, so `..`, `/`, `\`, `%2e`, control characters and spaces can never reach a path.
 */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,99}$/;

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The messages the service answers with; the pages map them to catalogue keys. */
export const WIKI_MESSAGES = {
  titleEmpty: 'must not be empty',
  titleTooLong: `must be at most ${MAX_TITLE} characters`,
  titleControl: 'must be one line without control characters',
  slugInvalid: 'must be 1–100 characters: a-z, 0-9 and single dashes inside (no slashes, dots or spaces)',
  slugTaken: 'another page here already has this slug',
  bodyTooLarge: 'is larger than the limit of {limit} bytes',
  summaryTooLong: `must be at most ${MAX_SUMMARY} characters`,
  parentUnknown: 'no such page in this space',
  parentOtherSpace: 'must be a page in the same space (moving between spaces is not supported)',
  tooDeep: `the page would be nested too deeply (its path would be longer than ${MAX_PATH} characters)`,
  templateUnknown: 'no such template in this space',
  revisionNotNumber: 'must be a whole number of 1 or more',
} as const;

export function invalid(field: string, message: string): InvalidInput {
  return new InvalidInput([{ field, message }]);
}

/** A title: trimmed, 1–200 characters, one line. */
export function checkTitle(title: string, field = 'title'): string {
  const trimmed = title.trim();
  if (!trimmed) throw invalid(field, WIKI_MESSAGES.titleEmpty);
  if ([...trimmed].length > MAX_TITLE) throw invalid(field, WIKI_MESSAGES.titleTooLong);
  if (CONTROL.test(trimmed)) throw invalid(field, WIKI_MESSAGES.titleControl);
  return trimmed;
}

export function checkSlug(slug: string, field = 'slug'): string {
  if (!SLUG_PATTERN.test(slug)) throw invalid(field, WIKI_MESSAGES.slugInvalid);
  return slug;
}

export function checkSummary(summary: string | undefined | null): string {
  const text = (summary ?? '').replace(/\s+/g, ' ').trim();
  if ([...text].length > MAX_SUMMARY) throw invalid('summary', WIKI_MESSAGES.summaryTooLong);
  return text;
}

/**
 * A body within the limit. Above it: 413 naming the field (the HTTP layer accepts up to 1 MiB,
 * so the wiki's own limit is checked here, in bytes of UTF-8).
 */
export function checkBody(body: string, limit: number): string {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > limit) {
    const message = WIKI_MESSAGES.bodyTooLarge.replace('{limit}', String(limit));
    const errors: FieldProblem[] = [{ field: 'body', message }];
    throw new HttpException(
      { title: 'Payload too large', detail: `body: ${message} (found ${bytes})`, errors },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
  return body;
}

/** A slug made from a title: `Über uns & FAQ` → `uber-uns-faq`; `page` when nothing is left. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
  return slug || 'page';
}

/** A title folded for link lookups: `  Team   Handbook ` and `team handbook` are the same page. */
export function titleKey(title: string): string {
  return title.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase().slice(0, MAX_TITLE);
}

/** The space segment of a wiki URL: the space's slug, or `-` for organisation-wide pages. */
export function spaceSegment(spaceSlug: string | null): string {
  return spaceSlug ?? ORG_SPACE_KEY;
}

/** `/wiki/<space>/<path>`: every segment is a checked slug, so nothing needs escaping. */
export function pageUrl(spaceSlug: string | null, path: string): string {
  return `/wiki/${spaceSegment(spaceSlug)}/${path}`;
}

/** The paths of the ancestors of a path: `a/b/c` → `['a', 'a/b']`. */
export function ancestorPaths(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

/** Whether `candidate` is `path` itself or lies under it. */
export function isWithin(candidate: string, path: string): boolean {
  return candidate === path || candidate.startsWith(`${path}/`);
}

/** A `?rev=` style number: a whole number ≥ 1, else a 422 naming the field. */
export function revisionNumber(value: unknown, field: string): number {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1) throw invalid(field, WIKI_MESSAGES.revisionNotNumber);
  return n;
}
