import type { ContentStatus, UserRef } from '@plein/sdk';
import type { ContentsService } from '../content/contents.service';
import { DatabaseService } from '../database/database.service';
import type { UsersService } from '../users/users.service';

/** The columns of `core_content` a cross-plugin list reads, as SQL gives them back. */
export interface ContentListRow {
  id: string;
  type: string;
  plugin_id: string;
  space_id: string | null;
  author_id: string;
  status: ContentStatus;
  title: string | null;
  excerpt: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** `core_content` columns for {@link ContentListRow}, under the alias `alias`. */
export function listColumns(alias: string): Array<[string, string]> {
  return ['id', 'type', 'plugin_id', 'space_id', 'author_id', 'status', 'title', 'excerpt', 'created_at', 'updated_at'].map((c) => [`${alias}.${c}`, c]);
}

/**
 * A content item as API.md gives it in any response, for a list that spans plugins: `id` is the
 * plugin's own id of the item (what its URL pattern takes), `contentId` core's.
 */
export interface ContentItem {
  id: string;
  contentId: string;
  type: string;
  plugin: string;
  status: ContentStatus;
  author: UserRef;
  spaceId: string | null;
  title: string | null;
  excerpt: string | null;
  url: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where the item ids of one content type are: the plugin's table holding `content_id`. */
interface ItemTable {
  table: string;
  idColumn: string;
}

/**
 * Turns `core_content` rows of any plugin into {@link ContentItem}s: authors batch-loaded in one
 * query, and each item's own id (for its URL and its anchor in a list) read from its plugin's
 * table, one query per content type on the page.
 *
 * Core's record does not carry the plugin's item id, so it is read where the content type keeps
 * it, by the rule `Contents.urlsOf` follows: its `itemTable`, else the table named after the type
 * (`forum.post` → `forum_post`), with the item id as its one-column primary key and a `content_id`
 * column. (`urlsOf` gives URLs only; a listing needs the ids too, for the content partial.) A type
 * with no such table lists with its content id as `id`, and a URL only when its pattern needs none.
 */
export class ContentItems {
  private readonly tables = new Map<string, ItemTable | null>();

  constructor(
    private readonly db: DatabaseService,
    private readonly contents: ContentsService,
    private readonly users: UsersService,
  ) {}

  private itemTable(type: string): ItemTable | null {
    if (this.tables.has(type)) return this.tables.get(type)!;
    const definition = this.contents.typeOf(type);
    const name = definition ? (definition.itemTable ?? definition.name.replace(/\./g, '_')) : null;
    const metadata = name ? this.db.dataSource.entityMetadatas.find((m) => m.tableName === name) : undefined;
    const found =
      metadata && metadata.primaryColumns.length === 1 && metadata.columns.some((c) => c.databaseName === 'content_id')
        ? { table: metadata.tableName, idColumn: metadata.primaryColumns[0].databaseName }
        : null;
    this.tables.set(type, found);
    return found;
  }

  /** Content id → the plugin's item id, for rows of any plugins. */
  async itemIds(rows: ReadonlyArray<{ id: string; type: string }>): Promise<Map<string, string>> {
    const byTable = new Map<ItemTable, string[]>();
    for (const row of rows) {
      const table = this.itemTable(row.type);
      if (table) byTable.set(table, [...(byTable.get(table) ?? []), row.id]);
    }
    const ids = new Map<string, string>();
    const escape = (name: string) => this.db.dataSource.driver.escape(name);
    for (const [table, contentIds] of byTable) {
      const found = await this.db.select<{ item_id: string | number; content_id: string }>(
        `SELECT ${escape(table.idColumn)} AS item_id, content_id FROM ${escape(table.table)} WHERE content_id IN (${DatabaseService.placeholders(contentIds.length)})`,
        contentIds,
      );
      for (const f of found) ids.set(f.content_id, String(f.item_id));
    }
    return ids;
  }

  /** Where a person reads the item: its type's URL pattern, `{id}` the item id and `{contentId}` core's. */
  urlOf(type: string, contentId: string, itemId: string | undefined): string | null {
    const pattern = this.contents.typeOf(type)?.urlPattern;
    if (!pattern || (pattern.includes('{id}') && itemId === undefined)) return null;
    return pattern.replace('{contentId}', encodeURIComponent(contentId)).replace('{id}', encodeURIComponent(itemId ?? ''));
  }

  /** The rows as API content items, in the order given. */
  async present(rows: readonly ContentListRow[]): Promise<ContentItem[]> {
    const authors = await this.users.findByIds(rows.map((r) => r.author_id));
    const itemIds = await this.itemIds(rows);
    return rows.map((r) => {
      const itemId = itemIds.get(r.id);
      return {
        id: itemId ?? r.id,
        contentId: r.id,
        type: r.type,
        plugin: r.plugin_id,
        status: r.status,
        author: authors.get(r.author_id) ?? { id: r.author_id, handle: '', displayName: '' },
        spaceId: r.space_id,
        title: r.title,
        excerpt: r.excerpt,
        url: this.urlOf(r.type, r.id, itemId),
        createdAt: this.db.toDate(r.created_at).toISOString(),
        updatedAt: this.db.toDate(r.updated_at).toISOString(),
      };
    });
  }
}
