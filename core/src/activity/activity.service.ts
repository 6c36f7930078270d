import { decodeCursor, encodeCursor, InvalidInput, PLUGIN_ID_PATTERN, type Page } from '@plein/sdk';
import type { ContentsService } from '../content/contents.service';
import type { DatabaseService } from '../database/database.service';
import { listColumns, type ContentItem, type ContentItems, type ContentListRow } from './content-items';

/** What the stream is narrowed to. */
export interface StreamFilter {
  spaceId?: string | null;
  plugin?: string | null;
}

/** Where the next page starts: just below the last item of this one. */
interface StreamCursor {
  at: string;
  id: string;
}

function parseCursor(value: string | undefined): { at: Date; id: string } | null {
  const cursor = decodeCursor<Partial<StreamCursor>>(value);
  if (!cursor) return null;
  const at = typeof cursor.at === 'string' ? new Date(cursor.at) : null;
  if (!at || Number.isNaN(at.getTime()) || typeof cursor.id !== 'string') throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  return { at, id: cursor.id };
}

/**
 * A query parameter that must be one short string when given (Fastify makes a repeated one an
 * array): the value, null when absent or empty, else a 422 naming the field.
 */
export function optionalParam(field: string, value: unknown, max = 36, pattern?: { test: RegExp; message: string }): string | null {
  if (value === undefined || value === '') return null;
  if (typeof value !== 'string' || value.length > max) throw new InvalidInput([{ field, message: `must be one value of at most ${max} characters` }]);
  if (pattern && !pattern.test.test(value)) throw new InvalidInput([{ field, message: pattern.message }]);
  return value;
}

/** `?plugin=`: a plugin id. */
export const PLUGIN_PARAM = { test: PLUGIN_ID_PATTERN, message: 'must be a plugin id (lower case letters, digits and dashes)' };

/**
 * The home activity stream: published content of every plugin that the reader may see, newest
 * first, keyset-paginated on (created_at, id). The query, for a signed-in member (docs/search.md
 * shows its plans on both engines):
 *
 * ```sql
 * SELECT v.id, v.type, v.plugin_id, … FROM core_content c
 *   INNER JOIN core_content v ON v.id = c.id AND <Contents.visibleTo(user) on v>
 *  WHERE c.status = 'published' [AND c.space_id = ?] [AND c.plugin_id = ?] [AND v.plugin_id NOT IN (<plugins switched off>)]
 *    [AND c.created_at <= ? AND (c.created_at < ? OR c.id < ?)]
 *  ORDER BY c.created_at DESC, c.id DESC LIMIT ?
 * ```
 *
 * `idx_core_content_stream` (status, created_at, id) serves the whole stream,
 * `idx_core_content_plugin_stream` and `idx_core_content_space_stream` the filtered ones: a page
 * reads about a page of index entries, plus those the visibility join turns away.
 */
export class ActivityService {
  constructor(
    private readonly db: DatabaseService,
    private readonly contents: ContentsService,
    private readonly items: ContentItems,
    /** Installed plugins that are switched off or failed: their content is not listed (its pages are gone). */
    private readonly inactivePlugins: () => string[] = () => [],
  ) {}

  /**
   * The query of one page: `limit` rows at most, below `before` when given. `c` walks an index in
   * stream order and reads nothing the index does not hold (status, created_at, id and the filter
   * column), so both engines seek straight to the cursor; `v`, the visibility join on the same
   * row, supplies the columns. (With columns read from `c`, MariaDB scanned from the newest row
   * down to the cursor instead of seeking: 13,520 index reads for a page at 30,000 rows, against 20.)
   */
  async query(user: { id: string } | null, filter: StreamFilter, limit: number, before: { at: Date; id: string } | null) {
    const qb = this.db.manager().createQueryBuilder().from('core_content', 'c');
    for (const [column, alias] of listColumns('v')) qb.addSelect(column, alias);
    qb.where("c.status = 'published'");
    // One filter column on the index side (its index covers it); a second one is checked on the row.
    if (filter.spaceId) qb.andWhere('c.space_id = :spaceId', { spaceId: filter.spaceId });
    if (filter.plugin) qb.andWhere(`${filter.spaceId ? 'v' : 'c'}.plugin_id = :plugin`, { plugin: filter.plugin });
    const inactive = this.inactivePlugins();
    if (inactive.length) qb.andWhere('v.plugin_id NOT IN (:...inactive)', { inactive });
    // `<=` first gives the index a range to seek to; the OR breaks ties on the same instant by id.
    if (before) qb.andWhere('c.created_at <= :at AND (c.created_at < :at OR c.id < :id)', { at: before.at, id: before.id });
    (await this.contents.visibleTo(user, { audiences: true })).applyTo(qb, 'c.id', 'v');
    return qb.orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC').limit(limit);
  }

  /** One page of the stream as API content items; `cursor` is the `nextCursor` of the page before. */
  async stream(user: { id: string } | null, filter: StreamFilter, limit: number, cursor?: string): Promise<Page<ContentItem>> {
    const rows = await this.db.selectBuilt<ContentListRow>(await this.query(user, filter, limit + 1, parseCursor(cursor)));
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.items.present(page),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: this.db.toDate(last.created_at).toISOString(), id: last.id } satisfies StreamCursor) : null,
    };
  }
}
