import { decodeCursor, encodeCursor, InvalidInput } from '@plein/sdk';

/** A place in a stream: the sort key `(createdAt, id)` of a post. */
export interface StreamKey {
  at: Date;
  id: string;
}

/** A place on a question board: which part (0 unanswered, 1 answered), then `(createdAt, id)`. */
export interface BoardKey extends StreamKey {
  part: 0 | 1;
}

const notOurs = () => new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);

export function streamCursor(key: { createdAt: Date; id: string }): string {
  return encodeCursor({ at: key.createdAt.toISOString(), id: key.id });
}

export function boardCursor(part: 0 | 1, key: { createdAt: Date; id: string }): string {
  return encodeCursor({ a: part, at: key.createdAt.toISOString(), id: key.id });
}

function key(raw: { at?: unknown; id?: unknown }, field: string): StreamKey {
  const at = typeof raw.at === 'string' ? new Date(raw.at) : null;
  if (!at || Number.isNaN(at.getTime()) || typeof raw.id !== 'string' || raw.id.length > 36)
    throw field === 'cursor' ? notOurs() : new InvalidInput([{ field, message: 'is not a cursor this list gave out' }]);
  return { at, id: raw.id };
}

/** Reads `?cursor=` (or `?since=`, naming that field) of a stream; null when absent, 422 when not ours. */
export function readStreamCursor(value: string | undefined, field = 'cursor'): StreamKey | null {
  if (typeof value !== 'string' || !value) return null;
  let raw: { at?: unknown; id?: unknown } | null;
  try {
    raw = decodeCursor<{ at?: unknown; id?: unknown }>(value);
  } catch {
    throw new InvalidInput([{ field, message: 'is not a cursor this list gave out' }]);
  }
  return raw ? key(raw, field) : null;
}

export function readBoardCursor(value: string | undefined): BoardKey | null {
  if (typeof value !== 'string' || !value) return null;
  const raw = decodeCursor<{ a?: unknown; at?: unknown; id?: unknown }>(value);
  if (!raw || (raw.a !== 0 && raw.a !== 1)) throw notOurs();
  return { ...key(raw, 'cursor'), part: raw.a };
}
