import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class PollsInit1730000000000 implements MigrationInterface {
  name = 'PollsInit1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'polls_poll',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'question', type: 'varchar', length: '200' },
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'content_id', type: 'varchar', length: '36' },
          { name: 'closes_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'closed_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'idx_polls_poll_created', columnNames: ['created_at', 'id'] }),
          new TableIndex({ name: 'idx_polls_poll_content', columnNames: ['content_id'] }),
          new TableIndex({ name: 'idx_polls_poll_closes', columnNames: ['closed_at', 'closes_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'polls_option',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'poll_id', type: 'varchar', length: '36' },
          { name: 'position', type: 'int' },
          { name: 'label', type: 'varchar', length: '100' },
          { name: 'votes', type: 'int', default: 0 },
        ],
        indices: [new TableIndex({ name: 'idx_polls_option_poll', columnNames: ['poll_id', 'position'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'polls_vote',
        columns: [
          { name: 'poll_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'option_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('polls_vote');
    await q.dropTable('polls_option');
    await q.dropTable('polls_poll');
  }
}
