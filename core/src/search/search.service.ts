import { decodeCursor, encodeCursor, InvalidInput } from '@plein/sdk';
import { listColumns, type ContentItem, type ContentItems, type ContentListRow } from '../activity/content-items';
import type { ContentsService } from '../content/contents.service';
import type { DatabaseService } from '../database/database.service';
import type { RankedRow, SearchIndex } from './search-index';
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
 */
export class SearchService {
  constructor(
    private readonly db: DatabaseService,
    private readonly contents: ContentsService,
    private readonly items: ContentItems,
    private readonly index: SearchIndex,
    /** Installed plugins that are switched off or failed: their content is not found (its pages are gone). */
    private readonly inactivePlugins: () => string[] = () => [],
  ) {}

  /** The SQL of one page of results, `limit` rows at most. */
  async query(user: { id: string } | null, query: SearchQuery, words: readonly string[], limit: number, after: SearchCursor | null) {
    const score = this.index.score();
    const qb = this.db.manager().createQueryBuilder().from('core_search', 's');
    for (const [column, alias] of listColumns('c')) qb.addSelect(column, alias);
    qb.addSelect(score, 'score');
    this.index.match(qb, words);
    (await this.contents.visibleTo(user, { audiences: true })).applyTo(qb, 's.content_id', 'c');
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
    const rows = await this.db.selectBuilt<ContentListRow & RankedRow>(await this.query(user, query, words, limit + 1, after));
    const page = rows.slice(0, limit);
    const items = await this.items.present(page);
    const last = page[page.length - 1];
    return {
      items: page.map((row, i) => ({ item: items[i], ...this.index.hits(row, words) })),
      nextCursor: rows.length > limit && last ? encodeCursor({ score: Number(last.score), id: last.id } satisfies SearchCursor) : null,
    };
  }
}
