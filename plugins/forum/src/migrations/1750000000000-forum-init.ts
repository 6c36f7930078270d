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
const int = (name: string, fallback: number | null = 0): TableColumnOptions => ({
  name,
  type: 'int',
  isNullable: false,
  ...(fallback === null ? {} : { default: fallback }),
});
const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });

/** Categories, topics and their tags, posts and their revisions, watches and read positions. */
export class ForumInit1750000000000 implements MigrationInterface {
  name = 'ForumInit1750000000000';

  async up(q: QueryRunner): Promise<void> {
    // MySQL's TEXT holds 64 KB; a post may be 100 kB of UTF-8 and its HTML more.
    const long =
      q.connection.driver.options.type === 'mysql' || q.connection.driver.options.type === 'mariadb'
        ? 'mediumtext'
        : 'text';
    const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: long, isNullable: nullable });
    await q.createTable(
      new Table({
        name: 'forum_category',
        columns: [
          { ...ref('id'), isPrimary: true },
          str('slug', 64),
          str('name', 100),
          { ...str('description', 1000), default: "''" },
          ref('space_id', true),
          ref('parent_id', true),
          int('position'),
          { ...str('grants', 2000), default: "'{}'" },
          int('topic_count'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_forum_category_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'idx_forum_category_parent', columnNames: ['parent_id', 'position'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_topic',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          ref('category_id'),
          ref('space_id', true),
          str('title', 200),
          ref('author_id'),
          ref('first_post_id'),
          int('pinned'),
          str('pin_scope', 10, true),
          time('pinned_until', true),
          bool('locked'),
          bool('closed'),
          str('close_reason', 500, true),
          time('closed_at', true),
          ref('closed_by', true),
          ref('solution_post_id', true),
          ref('merged_into_id', true),
          int('last_position'),
          int('last_post_position'),
          ref('last_post_id', true),
          ref('last_poster_id', true),
          time('last_activity_at'),
          int('reply_count'),
          str('status', 16),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          // The category's list: pinned first, then by last activity (keyset on the last two). Unread
          // counts read it too, with `pinned IN (0, 1)` so the activity range still applies.
          new TableIndex({
            name: 'idx_forum_topic_list',
            columnNames: ['category_id', 'pinned', 'last_activity_at', 'id'],
          }),
          new TableIndex({ name: 'idx_forum_topic_content', columnNames: ['content_id'] }),
          new TableIndex({ name: 'idx_forum_topic_global_pin', columnNames: ['pin_scope', 'pinned'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_topic_tag',
        columns: [
          { ...ref('topic_id'), isPrimary: true },
          { ...str('tag', 32), isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'idx_forum_topic_tag_tag', columnNames: ['tag', 'topic_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_post',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          ref('topic_id'),
          int('position', null),
          bool('opening'),
          ref('author_id'),
          text('body'),
          text('html'),
          int('version', 1),
          ref('quote_post_id', true),
          ref('quote_author_id', true),
          text('quote_body', true),
          text('quote_html', true),
          str('status', 16),
          time('created_at'),
          time('updated_at'),
          time('edited_at', true),
          ref('editor_id', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_forum_post_position', columnNames: ['topic_id', 'position'], isUnique: true }),
          new TableIndex({ name: 'idx_forum_post_content', columnNames: ['content_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_post_revision',
        columns: [
          { ...ref('post_id'), isPrimary: true },
          { ...int('version', null), isPrimary: true },
          text('body'),
          str('title', 200, true),
          ref('editor_id'),
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_watch',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('topic_id'), isPrimary: true },
          str('level', 10),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'idx_forum_watch_topic', columnNames: ['topic_id', 'level'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_read',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('topic_id'), isPrimary: true },
          int('position', null),
          ref('post_id'),
          time('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'forum_category_read',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('category_id'), isPrimary: true },
          time('marked_at'),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'forum_category_read',
      'forum_read',
      'forum_watch',
      'forum_post_revision',
      'forum_post',
      'forum_topic_tag',
      'forum_topic',
      'forum_category',
    ])
      await q.dropTable(table);
  }
}
