import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const str = (name: string, length: number): TableColumnOptions => ({ name, type: 'varchar', length: String(length) });
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', default: false });
const index = (table: string, name: string, columnNames: string[]) =>
  new TableIndex({ name: `idx_${table}_${name}`, columnNames });

/**
 * Posts (with their question state and pin), former versions, hashtags, reactions, follows and
 * mentions. The indexes are the streams' sort orders: each stream reads one of them by keyset on
 * `(created_at, id)` after its equality columns, so a page never sorts or skips rows.
 */
export class MicroblogInit1750000000000 implements MigrationInterface {
  name = 'MicroblogInit1750000000000';

  async up(q: QueryRunner): Promise<void> {
    // MySQL's TEXT holds 64 KB: 5,000 characters of emoji (the highest limit) are more than that.
    const long =
      q.connection.driver.options.type === 'mysql' || q.connection.driver.options.type === 'mariadb'
        ? 'mediumtext'
        : 'text';
    const text = (name: string): TableColumnOptions => ({ name, type: long });
    await q.createTable(
      new Table({
        name: 'microblog_post',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('content_id'),
          ref('author_id'),
          ref('editor_id'),
          ref('space_id', true),
          str('kind', 8),
          ref('reply_to_id', true),
          flag('is_reply'),
          text('body'),
          text('html'),
          { name: 'mentions', type: 'text' },
          { name: 'tags', type: 'text' },
          { name: 'version', type: 'int', default: 1 },
          flag('answered'),
          ref('accepted_answer_id', true),
          time('answered_at', true),
          ref('answered_by', true),
          time('pinned_at', true),
          time('pinned_until', true),
          ref('pinned_by', true),
          time('created_at'),
          time('updated_at'),
          time('edited_at', true),
          time('notified_at', true),
          time('deleted_at', true),
        ],
        indices: [
          index('microblog_post', 'content', ['content_id']),
          index('microblog_post', 'author', ['author_id', 'created_at', 'id']),
          index('microblog_post', 'author_top', ['author_id', 'is_reply', 'created_at', 'id']),
          index('microblog_post', 'space_top', ['space_id', 'is_reply', 'created_at', 'id']),
          index('microblog_post', 'top', ['is_reply', 'created_at', 'id']),
          index('microblog_post', 'reply', ['reply_to_id', 'created_at', 'id']),
          index('microblog_post', 'question', ['kind', 'answered', 'created_at', 'id']),
          index('microblog_post', 'space_question', ['space_id', 'kind', 'answered', 'created_at', 'id']),
          index('microblog_post', 'pinned', ['space_id', 'pinned_at', 'id']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'microblog_edit',
        columns: [
          { ...ref('post_id'), isPrimary: true },
          { name: 'version', type: 'int', isPrimary: true },
          text('body'),
          text('html'),
          ref('editor_id'),
          time('created_at'),
          time('replaced_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'microblog_tag',
        columns: [{ ...ref('post_id'), isPrimary: true }, { ...str('tag', 64), isPrimary: true }, time('created_at')],
        indices: [index('microblog_tag', 'stream', ['tag', 'created_at', 'post_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'microblog_reaction',
        columns: [
          { ...ref('post_id'), isPrimary: true },
          { ...ref('user_id'), isPrimary: true },
          { ...str('emoji', 16), isPrimary: true },
          time('created_at'),
        ],
        // The reaction counts of a page of posts group by (post, emoji): read in that order.
        indices: [index('microblog_reaction', 'count', ['post_id', 'emoji'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'microblog_follow',
        columns: [
          { ...ref('follower_id'), isPrimary: true },
          { ...str('target_type', 8), isPrimary: true },
          { ...ref('target_id'), isPrimary: true },
          time('created_at'),
        ],
        indices: [index('microblog_follow', 'target', ['target_type', 'target_id', 'follower_id'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'microblog_mention',
        columns: [
          { ...ref('post_id'), isPrimary: true },
          { ...ref('user_id'), isPrimary: true },
          time('notified_at', true),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'microblog_mention',
      'microblog_follow',
      'microblog_reaction',
      'microblog_tag',
      'microblog_edit',
      'microblog_post',
    ])
      await q.dropTable(table);
  }
}
