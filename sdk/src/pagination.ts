import { InvalidInput } from './problems';

/**
 * A page of a list, as every list route answers: `{ items, nextCursor }`.
 *
 * @example
 * ```ts
 * const page: Page<{ id: string }> = { items: [{ id: '1' }], nextCursor: null };
 * ```
 */
export interface Page<T> {
  /** This page's items, in the list's order. */
  items: T[];
  /** The cursor of the next page (sent back as `?cursor=`), or null on the last page. */
  nextCursor: string | null;
}

/**
 * Reads `?limit=`: a whole number from 1 to 100, `fallback` (20) when absent; anything else is a
 * 422 naming the field.
 *
 * @example
 * ```ts
 * list(@Query('limit') limit?: string) { const take = parseLimit(limit); ... }
 * ```
 */
export function parseLimit(value: string | undefined, fallback = 20): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidInput([{ field: 'limit', message: 'must be a whole number from 1 to 100' }]);
  return n;
}

/**
 * Makes an opaque cursor from the sort key of the last item on a page (keyset pagination).
 *
 * @example
 * ```ts
 * const nextCursor = encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id });
 * ```
 */
export function encodeCursor(key: object): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor}; null when absent, a 422 naming `cursor` when it
 * is not one.
 *
 * @example
 * ```ts
 * const after = decodeCursor<{ createdAt: string; id: string }>(query.cursor);
 * ```
 */
export function decodeCursor<T extends object>(value: string | undefined): T | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as T;
  } catch {
    // not base64url JSON: answered below
  }
  throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
}
