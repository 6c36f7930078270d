import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class __Name__Init1730000000000 implements MigrationInterface {
  name = '__Name__Init1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: '__name_snake___item',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'title', type: 'varchar', length: '200' },
          { name: 'author_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: 'datetime', precision: 3 },
        ],
        indices: [new TableIndex({ name: 'idx___name_snake___item_created', columnNames: ['created_at', 'id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('__name_snake___item');
  }
}
