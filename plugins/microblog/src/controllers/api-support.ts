import { parseLimit, type Page } from '@plein/sdk';
import type { Direction, StreamPage, StreamRequest } from '../services/microblog-streams.service';
import type { PostView } from '../services/microblog-view.service';
import { readStreamCursor, streamCursor } from '../services/stream-cursor';

/** A stream page as the API answers it; `latestCursor` is what to send as `?since=` to ask for newer posts. */
export interface StreamAnswer extends Page<PostView> {
  latestCursor: string | null;
}

/**
 * `?limit=`, `?cursor=` (older posts) and `?since=` (newer than a post already shown: for polling;
 * at most `limit` come back, newest first, and `nextCursor` is then null).
 */
export function streamRequest(query: { limit?: string; cursor?: string; since?: string }): StreamRequest {
  const limit = parseLimit(query.limit);
  const since = readStreamCursor(query.since, 'since');
  const direction: Direction = since ? 'newer' : 'older';
  return { limit, direction, from: since ?? readStreamCursor(query.cursor) };
}

/**
 * The answer for a stream page: items, the cursor of the next older page, and `latestCursor`: the
 * newest post of the answer, else the `since` asked with, else (an empty first page) now.
 */
export function streamAnswer(page: StreamPage, items: PostView[], request: StreamRequest, now: Date): StreamAnswer {
  const last = page.posts[page.posts.length - 1];
  return {
    items,
    nextCursor:
      request.direction === 'older' && page.more && (page.next ?? last) ? streamCursor(page.next ?? last) : null,
    latestCursor: latestCursor(page, request, now),
  };
}

/** What to ask `?since=` with next: the newest post of the page, else the `since` asked with, else now. */
export function latestCursor(page: StreamPage, request: StreamRequest, now: Date): string | null {
  let latest: { createdAt: Date; id: string } | null = page.posts[0] ?? null;
  if (!latest && request.direction === 'newer' && request.from)
    latest = { createdAt: request.from.at, id: request.from.id };
  if (!latest && !request.from) latest = { createdAt: now, id: '' };
  return latest ? streamCursor(latest) : null;
}
