import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const OLD = new TableIndex({ name: 'idx_microblog_post_top', columnNames: ['is_reply', 'created_at', 'id'] });
const NEW = new TableIndex({
  name: 'idx_microblog_post_top_src',
  columnNames: ['is_reply', 'created_at', 'id', 'author_id', 'space_id'],
});

/**
 * The threads-in-time index also holds each thread's author and space, so the home timeline's
 * window (the newest threads of everyone, filtered to the reader's sources) reads the index only.
 * It serves everything the index it replaces served.
 */
export class MicroblogTimelineWindow1780000000000 implements MigrationInterface {
  name = 'MicroblogTimelineWindow1780000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('microblog_post', NEW);
    await q.dropIndex('microblog_post', OLD.name!);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createIndex('microblog_post', OLD);
    await q.dropIndex('microblog_post', NEW.name!);
  }
}
