import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `core_content.audience`: a key of the owning plugin that narrows who may read an item within its
 * space (a forum category's readers), checked by the lists that span plugins (search, activity,
 * digests) and by `Contents.getVisible`. Null for existing items: everyone who sees the space.
 */
export class ContentAudience1734000000000 implements MigrationInterface {
  name = 'ContentAudience1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('core_content', new TableColumn({ name: 'audience', type: 'varchar', length: '200', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('core_content', 'audience');
  }
}
