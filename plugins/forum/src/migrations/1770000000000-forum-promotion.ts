import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

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

/** Solved topics promoted to the wiki: one row per topic, with the page once the wiki made it. */
export class ForumPromotion1770000000000 implements MigrationInterface {
  name = 'ForumPromotion1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'forum_promotion',
        columns: [
          { ...str('topic_id', 36), isPrimary: true },
          str('content_id', 36),
          str('status', 10),
          str('requested_by', 36),
          time('requested_at'),
          str('title', 200),
          str('page_id', 36, true),
          str('page_url', 600, true),
          str('page_title', 200, true),
          time('promoted_at', true),
          str('refused_reason', 500, true),
        ],
        indices: [new TableIndex({ name: 'idx_forum_promotion_content', columnNames: ['content_id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('forum_promotion');
  }
}
