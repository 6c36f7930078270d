import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });

/** Pages, revisions, links, aliases (old paths and titles), watches and the per-space tree lock. */
export class WikiInit1740000000000 implements MigrationInterface {
  name = 'WikiInit1740000000000';

  async up(q: QueryRunner): Promise<void> {
    // MySQL's TEXT holds 64 KB; a page body may be 200 kB of UTF-8 and its HTML more.
    const long =
      q.connection.driver.options.type === 'mysql' || q.connection.driver.options.type === 'mariadb'
        ? 'mediumtext'
        : 'text';
    const text = (name: string): TableColumnOptions => ({ name, type: long });
    await q.createTable(
      new Table({
        name: 'wiki_page',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          ref('space_key'),
          ref('parent_id', true),
          str('slug', 100),
          str('path', 500),
          str('title', 200),
          str('title_key', 200),
          text('body'),
          text('html'),
          text('toc'),
          int('revision'),
          int('published_revision', true),
          int('size'),
          { name: 'is_template', type: 'boolean', default: false },
          ref('author_id'),
          ref('editor_id'),
          time('created_at'),
          time('updated_at'),
          time('deleted_at', true),
          ref('deleted_with', true),
          ref('origin_event_id', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_wiki_page_path', columnNames: ['space_key', 'path'], isUnique: true }),
          new TableIndex({ name: 'idx_wiki_page_parent', columnNames: ['space_key', 'parent_id'] }),
          new TableIndex({ name: 'idx_wiki_page_title', columnNames: ['space_key', 'title_key'] }),
          new TableIndex({ name: 'idx_wiki_page_content', columnNames: ['content_id'] }),
          new TableIndex({ name: 'idx_wiki_page_origin', columnNames: ['origin_event_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wiki_revision',
        columns: [
          { ...ref('page_id'), isPrimary: true },
          { ...int('number'), isPrimary: true },
          str('title', 200),
          text('body'),
          text('html'),
          text('toc'),
          str('summary', 300),
          int('size'),
          ref('author_id'),
          int('restored_from', true),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wiki_link',
        columns: [
          { ...ref('from_page_id'), isPrimary: true },
          { ...str('to_key', 200), isPrimary: true },
          ref('space_key'),
          ref('to_page_id', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_wiki_link_to', columnNames: ['to_page_id'] }),
          new TableIndex({ name: 'idx_wiki_link_key', columnNames: ['space_key', 'to_key'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wiki_alias',
        columns: [
          { ...ref('space_key'), isPrimary: true },
          { ...str('kind', 8), isPrimary: true },
          { ...str('alias_key', 500), isPrimary: true },
          ref('page_id'),
          time('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_wiki_alias_page', columnNames: ['page_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wiki_watch',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('page_id'), isPrimary: true },
          { name: 'subtree', type: 'boolean', default: false },
          time('created_at'),
        ],
        indices: [new TableIndex({ name: 'idx_wiki_watch_page', columnNames: ['page_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'wiki_tree_lock',
        columns: [
          { ...ref('space_key'), isPrimary: true },
          { name: 'changes', type: 'int', default: 0 },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['wiki_tree_lock', 'wiki_watch', 'wiki_alias', 'wiki_link', 'wiki_revision', 'wiki_page'])
      await q.dropTable(table);
  }
}
