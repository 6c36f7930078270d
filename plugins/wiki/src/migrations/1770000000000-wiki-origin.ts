import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

const column = (name: string, length: number) =>
  new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true });

/** Where a promoted page came from (plugin, content, link back and its text), for the link back. */
export class WikiOrigin1770000000000 implements MigrationInterface {
  name = 'WikiOrigin1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('wiki_page', [
      column('origin_plugin', 50),
      column('origin_content_id', 36),
      column('origin_url', 500),
      column('origin_title', 200),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['origin_title', 'origin_url', 'origin_content_id', 'origin_plugin'])
      await q.dropColumn('wiki_page', name);
  }
}
