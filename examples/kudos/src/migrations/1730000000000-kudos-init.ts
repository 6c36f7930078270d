import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class KudosInit1730000000000 implements MigrationInterface {
  name = 'KudosInit1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'kudos_kudo',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'from_user_id', type: 'varchar', length: '36' },
          { name: 'to_user_id', type: 'varchar', length: '36' },
          { name: 'message', type: 'varchar', length: '1000' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [
          new TableIndex({ name: 'idx_kudos_kudo_created', columnNames: ['created_at', 'id'] }),
          new TableIndex({ name: 'idx_kudos_kudo_to', columnNames: ['to_user_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'kudos_tally',
        columns: [
          { name: 'user_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'received', type: 'int', default: 0 },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('kudos_tally');
    await q.dropTable('kudos_kudo');
  }
}
