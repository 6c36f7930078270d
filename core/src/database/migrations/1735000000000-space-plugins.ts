import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Per-space plugins (docs/spaces.md): `core_space_plugin` holds a space admin's choice to turn a
 * plugin on or off in their space; `core_plugin_space_policy` holds the site's policy per plugin
 * (`space-choice`, `forced-on`, `forced-off`) and whether spaces that did not choose have it on.
 * No rows: every site-enabled plugin is on in every space, as before.
 */
export class SpacePlugins1735000000000 implements MigrationInterface {
  name = 'SpacePlugins1735000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'core_space_plugin',
        columns: [
          { name: 'space_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plugin_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_plugin_space_policy',
        columns: [
          { name: 'plugin_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'policy', type: 'varchar', length: '16' },
          { name: 'default_enabled', type: 'boolean', default: true },
          { name: 'updated_at', type: 'datetime', precision: 3 },
          { name: 'updated_by', type: 'varchar', length: '36', isNullable: true },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('core_plugin_space_policy');
    await q.dropTable('core_space_plugin');
  }
}
