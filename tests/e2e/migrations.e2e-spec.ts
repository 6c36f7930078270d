import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginDefinition } from '@plein/sdk';
import { DataSource } from 'typeorm';
import { freshDatabase } from '../../core/src/testing';
import { dataSourceOptions, dropMysqlDatabase } from '../../core/src/database/data-source';
import { migrateDown, migrateUp, type MigrationSet } from '../../core/src/database/migrations';
import { coreMigrations } from '../../core/src/database/migrations/index';
import { validatePlugins } from '../../core/src/plugins/validation';
import { ledger } from '../fixtures/ledger/ledger.plugin';

/** Every plugin in the repository: plugins/* and examples/* with a src/index.ts. */
function repositoryPlugins(): PluginDefinition[] {
  const root = join(__dirname, '../..');
  return ['plugins', 'examples'].flatMap((folder) =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, folder, d.name, 'src/index.ts')))
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      .map((d) => (require(join(root, folder, d.name, 'src')) as { default: PluginDefinition }).default),
  );
}

async function tables(db: ReturnType<typeof freshDatabase>): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(db, { entities: [] }));
  await ds.initialize();
  try {
    const rows: Array<Record<string, string>> =
      db.engine === 'sqlite'
        ? await ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        : await ds.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    return rows.map((r) => r.name ?? r.NAME).sort();
  } finally {
    await ds.destroy();
  }
}

describe('migrations', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plein-migrations-'));
  const db = freshDatabase(dataDir);
  const plugins = [...repositoryPlugins(), ledger];
  const ordered = validatePlugins(plugins.map((definition) => ({ definition, source: definition.id, root: definition.root ?? dataDir }))).ordered;
  const sets: MigrationSet[] = [{ owner: 'core', migrations: coreMigrations }, ...ordered.map((p) => ({ owner: p.definition.id, migrations: p.definition.migrations ?? [] }))];

  afterAll(async () => {
    await dropMysqlDatabase(db).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds every plugin of the repository', () => {
    expect(ordered.map((p) => p.definition.id)).toEqual(expect.arrayContaining(['kudos', 'ledger']));
  });

  it(`runs core's and every plugin's migrations up, down and up again on ${db.engine}`, async () => {
    const first = await migrateUp(db, sets);
    expect(first.core).toBe(coreMigrations.length);
    const afterUp = await tables(db);
    // A plugin without migrations gets no migrations table.
    for (const set of sets.filter((s) => s.migrations.length)) expect(afterUp).toContain(`migrations_${set.owner.replace(/-/g, '_')}`);
    expect(afterUp).toEqual(expect.arrayContaining(['core_user', 'core_outbox', 'kudos_kudo', 'ledger_entry']));

    await migrateDown(db, sets);
    const afterDown = (await tables(db)).filter((t) => !t.startsWith('migrations_'));
    expect(afterDown).toEqual([]);

    const again = await migrateUp(db, sets);
    expect(again).toEqual(first);
    expect(await tables(db)).toEqual(afterUp);
    expect(Object.values(await migrateUp(db, sets)).every((n) => n === 0)).toBe(true);
  });
});
