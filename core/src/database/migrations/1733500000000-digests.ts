import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * E-mail digests (docs/digests.md): per person, how often and the window the next digest covers.
 * `idx_core_digest_due` lets the planner read the digests that are due, oldest first, without
 * walking everyone.
 */
export class Digests1733500000000 implements MigrationInterface {
  name = 'Digests1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'core_digest',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'frequency', type: 'varchar', length: '8' },
          { name: 'since_at', type: 'datetime', precision: 3 },
          { name: 'next_at', type: 'datetime', precision: 3, isNullable: true },
          { name: 'sent_at', type: 'datetime', precision: 3, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_core_digest_due', columnNames: ['next_at', 'user_id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('core_digest');
  }
}
