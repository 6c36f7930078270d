import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Kudos become content (core_content), so gates, moderation, search and activity see them. */
export class KudosContent1731000000000 implements MigrationInterface {
  name = 'KudosContent1731000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('kudos_kudo', new TableColumn({ name: 'content_id', type: 'varchar', length: '36', isNullable: true }));
    await q.createIndex('kudos_kudo', new TableIndex({ name: 'idx_kudos_kudo_content', columnNames: ['content_id'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('kudos_kudo', 'idx_kudos_kudo_content');
    await q.dropColumn('kudos_kudo', 'content_id');
  }
}
