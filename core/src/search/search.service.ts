import { createHash } from 'node:crypto';
import { decodeCursor, encodeCursor, InvalidInput } from '@plein/sdk';
import { LRUCache } from 'lru-cache';
import { listColumns, type ContentItem, type ContentItems, type ContentListRow } from '../activity/content-items';
import type { ContentsService, ReaderVisibility } from '../content/contents.service';
import type { DatabaseService } from '../database/database.service';
import type { RankedRow, SearchIndex } from './search-index';
import type { SearchState } from './search-state';
import { MAX_QUERY_LENGTH, queryWords } from './search-text';

/** A search: the words, and what narrows them down. */
export interface SearchQuery {
  q: string;
  plugin?: string | null;
  spaceId?: string | null;
  authorId?: string | null;
  /** Created at or after. */
  from?: Date | null;
  /** Created before. */
  to?: Date | null;
}

/** One result: the content item, and its title and excerpt with hits marked (see search-text.ts). */
export interface SearchHit {
  item: ContentItem;
  title: string;
  excerpt: string;
}

interface SearchCursor {
  score: number;
  id: string;
}

/** How many answers the cache keeps (0: none), and for how long at most. */
export interface SearchCacheOptions {
  entries: number;
  ttlMs: number;
}

/** A cached answer: the page's rows with their marked title and excerpt, before they are presented. */
interface CachedPage {
  rows: ContentListRow[];
  hits: Array<{ title: string; excerpt: string }>;
  nextCursor: string | null;
}

/** `q` as people may send it: 1 to 200 characters (a 422 naming `q` otherwise). */
export function checkQuery(q: unknown): string {
  if (typeof q !== 'string' || q.trim() === '') throw new InvalidInput([{ field: 'q', message: 'must be the words to search for' }]);
  if (q.length > MAX_QUERY_LENGTH) throw new InvalidInput([{ field: 'q', message: `must be at most ${MAX_QUERY_LENGTH} characters` }]);
  return q;
}

/**
 * A `from`/`to` filter: an ISO date or date-time. A bare date as `to` means through the end of that
 * day (UTC), so `from=2026-03-01&to=2026-03-31` is the whole of March.
 */
export function parseDateParam(field: 'from' | 'to', value: unknown): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'string' ? value : '';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? new Date(dateOnly ? `${text}T00:00:00Z` : text) : null;
  if (!at || Number.isNaN(at.getTime())) throw new InvalidInput([{ field, message: 'must be a date (2026-03-31) or an ISO date-time' }]);
  return field === 'to' && dateOnly ? new Date(at.getTime() + 86_400_000) : at;
}

function parseCursor(value: string | undefined): SearchCursor | null {
  const cursor = decodeCursor<Partial<SearchCursor>>(value);
  if (!cursor) return null;
  if (typeof cursor.score !== 'number' || !Number.isFinite(cursor.score) || typeof cursor.id !== 'string') {
    throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  }
  return { score: cursor.score, id: cursor.id };
}

/**
 * Search across plugins (docs/search.md). The index (`core_search`) holds published items only and
 * is kept current by `SearchIndexer`'s durable handlers of the `content.*` events; a query joins it to core_content
 * through `Contents.visibleTo(user)`, so what a person finds is exactly what their listings show,
 * and an item hidden a moment ago is kept out by the join before its event is even delivered.
 *
 * ```sql
 * SELECT c.id, c.type, …, <score> AS score, <hit columns>
 *   FROM core_search s
 *   INNER JOIN core_content c ON c.id = s.content_id AND <Contents.visibleTo(user) on c>
 *  WHERE <s matches the words> AND c.status = 'published'
 *    [AND c.plugin_id = ?] [AND c.space_id = ?] [AND c.author_id = ?] [AND c.created_at >= ?] [AND c.created_at < ?]
 *    [AND c.plugin_id NOT IN (<plugins switched off>)]
 *    [AND (<score> < ? OR (<score> = ? AND s.content_id > ?))]
 *  ORDER BY score DESC, s.content_id ASC LIMIT ?
 * ```
 *
 * Answers are cached (docs/search.md, "The answer cache"), like a search engine's request cache: the
 * page of rows with their hits, under a key made of everything that decides it (the words and
 * filters, the cursor and limit, the plugins switched off, the reader's visibility, their active
 * memberships with their roles, the audiences they are in) and of the index state
 * ({@link SearchState}), which every index write and every change to what readers may see moves on.
 * The items are presented afresh for each request (their authors' names are not in the key).
 */
export class SearchService {
  private readonly cache: LRUCache<string, CachedPage> | null;
  private readonly computing = new Map<string, Promise<CachedPage>>();
  /** Answers served from the cache, and computed (with the cache on). */
  readonly cacheStats = { hits: 0, misses: 0 };

  constructor(
    private readonly db: DatabaseService,
    private readonly contents: ContentsService,
    private readonly items: ContentItems,
    private readonly index: SearchIndex,
    /** Installed plugins that are switched off or failed: their content is not found (its pages are gone). */
    private readonly inactivePlugins: () => string[] = () => [],
    private readonly state: SearchState | null = null,
    cacheOptions: SearchCacheOptions = { entries: 0, ttlMs: 0 },
  ) {
    const cache = state && cacheOptions.entries > 0 ? new LRUCache<string, CachedPage>({ max: cacheOptions.entries, ttl: cacheOptions.ttlMs > 0 ? cacheOptions.ttlMs : undefined }) : null;
    this.cache = cache;
    // Answers for a state gone by are never asked for again: let them go at once.
    state?.onChange(() => cache?.clear());
  }

  /** How many answers the cache holds now. */
  get cacheSize(): number {
    return this.cache?.size ?? 0;
  }

  /** The SQL of one page of results, `limit` rows at most; `reader` when already read. */
  async query(user: { id: string } | null, query: SearchQuery, words: readonly string[], limit: number, after: SearchCursor | null, reader?: ReaderVisibility) {
    const score = this.index.score();
    const qb = this.db.manager().createQueryBuilder().from('core_search', 's');
    for (const [column, alias] of listColumns('c')) qb.addSelect(column, alias);
    qb.addSelect(score, 'score');
    this.index.match(qb, words);
    (reader ? this.contents.visibleWith(user, reader) : await this.contents.visibleTo(user, { audiences: true })).applyTo(qb, 's.content_id', 'c');
    // The index holds published items only; this keeps out one hidden before its event arrived.
    qb.andWhere(this.db.engine === 'sqlite' ? "+c.status = 'published'" : "c.status = 'published'");
    if (query.plugin) qb.andWhere('c.plugin_id = :plugin', { plugin: query.plugin });
    if (query.spaceId) qb.andWhere('c.space_id = :spaceId', { spaceId: query.spaceId });
    if (query.authorId) qb.andWhere('c.author_id = :authorId', { authorId: query.authorId });
    const inactive = this.inactivePlugins();
    if (inactive.length) qb.andWhere('c.plugin_id NOT IN (:...inactive)', { inactive });
    if (query.from) qb.andWhere('c.created_at >= :from', { from: query.from });
    if (query.to) qb.andWhere('c.created_at < :to', { to: query.to });
    if (after) qb.andWhere(`(${score} < :afterScore OR (${score} = :afterScore AND s.content_id > :afterId))`, { afterScore: after.score, afterId: after.id });
    return qb.orderBy('score', 'DESC').addOrderBy('s.content_id', 'ASC').limit(limit);
  }

  /** One page of results, best first; `cursor` is the `nextCursor` of the page before. */
  async search(user: { id: string } | null, query: SearchQuery, limit: number, cursor?: string): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
    const after = parseCursor(cursor);
    const words = queryWords(checkQuery(query.q));
    // Only punctuation or symbols: nothing a word index can find.
    if (words.length === 0) return { items: [], nextCursor: null };
    const page = this.cache ? await this.cached(user, query, words, limit, after) : await this.compute(user, query, words, limit, after);
    const items = await this.items.present(page.rows);
    return { items: page.rows.map((_row, i) => ({ item: items[i], ...page.hits[i] })), nextCursor: page.nextCursor };
  }

  private async compute(user: { id: string } | null, query: SearchQuery, words: readonly string[], limit: number, after: SearchCursor | null, reader?: ReaderVisibility): Promise<CachedPage> {
    const rows = await this.db.selectBuilt<ContentListRow & RankedRow>(await this.query(user, query, words, limit + 1, after, reader));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      // The list columns only: on MySQL a row also carries the item's search text (up to 60 KB).
      rows: page.map((r) => ({
        id: r.id,
        type: r.type,
        plugin_id: r.plugin_id,
        space_id: r.space_id,
        author_id: r.author_id,
        status: r.status,
        title: r.title,
        excerpt: r.excerpt,
        created_at: r.created_at,
        updated_at: r.updated_at,
      })),
      hits: page.map((row) => this.index.hits(row, words)),
      nextCursor: rows.length > limit && last ? encodeCursor({ score: Number(last.score), id: last.id } satisfies SearchCursor) : null,
    };
  }

  /**
   * The answer from the cache, else computed and kept. The state is read first: an answer is never
   * older than the state it is filed under (a write that lands meanwhile files it under a state no
   * search asks for any more).
   */
  private async cached(user: { id: string } | null, query: SearchQuery, words: readonly string[], limit: number, after: SearchCursor | null): Promise<CachedPage> {
    const state = await this.state!.current();
    const reader = await this.contents.readerVisibility(user, { audiences: true });
    const fields = JSON.stringify([
      state,
      await this.readerKey(user, reader),
      words,
      query.plugin ?? null,
      query.spaceId ?? null,
      query.authorId ?? null,
      query.from?.toISOString() ?? null,
      query.to?.toISOString() ?? null,
      this.inactivePlugins(),
      limit,
      after ? [after.score, after.id] : null,
    ]);
    // A reader in many spaces makes a long key: keep a digest of it.
    const key = createHash('sha256').update(fields).digest('base64');
    const found = this.cache!.get(key);
    if (found) {
      this.cacheStats.hits++;
      return found;
    }
    // The same search asked again while it is computed (many readers at once on a cold cache) waits for it.
    const computing = this.computing.get(key);
    if (computing) {
      this.cacheStats.hits++;
      return computing;
    }
    this.cacheStats.misses++;
    const page = this.compute(user, query, words, limit, after, reader);
    this.computing.set(key, page);
    try {
      const answer = await page;
      this.cache!.set(key, answer);
      return answer;
    } finally {
      this.computing.delete(key);
    }
  }

  /**
   * The reader's part of the key: who they are (their own held or audience-bound items), what
   * visibility says of them, and the spaces they are an active member of, with their role there
   * (private spaces' items; a moderator's or admin's audience-bound ones). One indexed read.
   * Everyone not signed in shares one.
   */
  private async readerKey(user: { id: string } | null, reader: ReaderVisibility): Promise<unknown[]> {
    const seen = [reader.admin, reader.reviewsEverywhere, reader.audiences];
    if (!user) return ['', ...seen];
    const memberships = await this.db.select<{ space_id: string; role: string }>(
      "SELECT space_id, role FROM core_membership WHERE user_id = ? AND status = 'active' ORDER BY space_id",
      [user.id],
    );
    return [user.id, ...seen, memberships.map((m) => `${m.space_id}:${m.role}`)];
  }
}
