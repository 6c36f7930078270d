import { DataSource } from 'typeorm';
import type { PleinConfig } from '../config/config';
import { coreEntities } from '../database/core-entities';
import { dataSourceOptions, ensureMysqlDatabase } from '../database/data-source';
import { DatabaseService } from '../database/database.service';
import { migrateDown, migrateUp, type MigrationSet } from '../database/migrations';
import { coreMigrations } from '../database/migrations/index';
import { SystemClock } from '../clock';
import { discoverPlugins } from '../plugins/discovery';
import { PluginRegistry } from '../plugins/plugin-registry';
import { describeProblem, validatePlugins } from '../plugins/validation';
import { AuditService } from '../audit/audit.service';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../users/passwords';
import { UsersService } from '../users/users.service';
import { SearchIndexer } from '../search/search-indexer';
import { migrationProgress, reindexProgress } from './progress';

class CommandFailed extends Error {}

function migrationSets(config: PleinConfig): MigrationSet[] {
  const validation = validatePlugins(discoverPlugins(config), config.ignoreSdkRange);
  if (validation.problems.length) {
    throw new CommandFailed(`migrate: the configured plugins are not valid, nothing was migrated:\n${validation.problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`);
  }
  return [
    { owner: 'core', migrations: coreMigrations },
    ...validation.ordered.map((p) => ({ owner: p.definition.id, migrations: p.definition.migrations ?? [] })),
  ];
}

/** Opens the database with core's tables only: enough for commands that must work when a plugin does not. */
async function withCoreDatabase<T>(config: PleinConfig, work: (db: DatabaseService) => Promise<T>): Promise<T> {
  await ensureMysqlDatabase(config.database);
  await migrateUp(config.database, [{ owner: 'core', migrations: coreMigrations }], migrationProgress());
  const dataSource = new DataSource(dataSourceOptions(config.database, { entities: coreEntities }));
  await dataSource.initialize();
  try {
    return await work(new DatabaseService(dataSource));
  } finally {
    await dataSource.destroy();
  }
}

export async function runMigrate(config: PleinConfig, down: boolean): Promise<void> {
  const sets = migrationSets(config);
  if (down) {
    await migrateDown(config.database, sets, migrationProgress());
    process.stdout.write('reverted all migrations\n');
    return;
  }
  const ran = await migrateUp(config.database, sets, migrationProgress());
  const total = Object.values(ran).reduce((a, b) => a + b, 0);
  process.stdout.write(total === 0 ? 'nothing to migrate: the database is up to date\n' : `ran ${total} migration(s): ${Object.entries(ran).filter(([, n]) => n > 0).map(([o, n]) => `${o} ${n}`).join(', ')}\n`);
}

function registryFor(config: PleinConfig): PluginRegistry {
  const registry = new PluginRegistry(new SystemClock());
  const discovered = discoverPlugins(config);
  const validation = validatePlugins(discovered, config.ignoreSdkRange);
  for (const plugin of discovered) {
    const problems = validation.rejected.get(plugin.definition.id);
    registry.add(plugin, problems ? 'failed' : 'enabled', problems ? problems.map(describeProblem).join('; ') : null);
  }
  return registry;
}

export async function runPluginsList(config: PleinConfig, json: boolean): Promise<void> {
  const registry = registryFor(config);
  await withCoreDatabase(config, (db) => registry.load(db));
  const rows = registry.all().map((p) => ({ id: p.definition.id, version: p.definition.version, state: p.state, source: p.source, reason: p.reason }));
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return;
  }
  if (rows.length === 0) process.stdout.write('no plugins configured (plein.config.json "plugins" or PLEIN_PLUGINS)\n');
  for (const r of rows) process.stdout.write(`${r.id.padEnd(16)} ${r.version.padEnd(10)} ${r.state.padEnd(9)} ${r.source}${r.reason ? `\n  ${r.reason}` : ''}\n`);
}

export async function runPluginsSetEnabled(config: PleinConfig, id: string, enabled: boolean): Promise<void> {
  const registry = registryFor(config);
  if (!registry.get(id)) {
    throw new CommandFailed(`plugins ${enabled ? 'enable' : 'disable'}: expected one of the configured plugins (${registry.all().map((p) => p.definition.id).join(', ') || 'none'}), found '${id}'`);
  }
  await withCoreDatabase(config, async (db) => {
    await registry.setEnabled(db, id, enabled, null);
    await new AuditService(db, new SystemClock()).record('core', { action: enabled ? 'core.plugin.enabled' : 'core.plugin.disabled', subject: `plugin:${id}`, details: { via: 'cli' } });
  });
  process.stdout.write(`${id} ${enabled ? 'enabled' : 'disabled'}; running instances pick it up within ${config.statePollMs} ms\n`);
}

export async function runUserCreate(config: PleinConfig, o: { email: string; handle: string; name: string; password?: string; admin?: boolean }): Promise<void> {
  if (o.password !== undefined && o.password.length < MIN_PASSWORD_LENGTH) {
    throw new CommandFailed(`user:create: expected a password of at least ${MIN_PASSWORD_LENGTH} characters, found ${o.password.length}`);
  }
  const user = await withCoreDatabase(config, async (db) => {
    const users = new UsersService(db, new SystemClock());
    try {
      return await users.create({
        email: o.email,
        handle: o.handle,
        displayName: o.name,
        roles: o.admin ? ['admin'] : ['member'],
        passwordHash: o.password ? await hashPassword(o.password) : null,
      });
    } catch (error) {
      const errors = (error as { errors?: Array<{ field: string; message: string }> }).errors;
      if (errors) throw new CommandFailed(`user:create: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
      throw error;
    }
  });
  process.stdout.write(`created ${user.roles.join(',')} ${user.handle} <${user.email}> (${user.id})\n`);
}

export async function runTokenCreate(config: PleinConfig, handle: string, name: string): Promise<void> {
  const token = await withCoreDatabase(config, async (db) => {
    const users = new UsersService(db, new SystemClock());
    const user = await users.findByHandle(handle);
    if (!user) throw new CommandFailed(`token:create: expected the handle of an existing user, found '${handle}'`);
    return users.issueToken(user.id, name);
  });
  process.stdout.write(`${token.token}\n`);
}

export async function runSearchReindex(config: PleinConfig, batchSize: number): Promise<void> {
  const started = Date.now();
  const progress = reindexProgress();
  const { indexed, removed } = await withCoreDatabase(config, async (db) => {
    try {
      return await new SearchIndexer(db).reindex(progress, batchSize);
    } finally {
      progress.stop();
    }
  });
  process.stdout.write(`search index rebuilt: ${indexed} published item(s) indexed, ${removed} stale entr${removed === 1 ? 'y' : 'ies'} removed (${Date.now() - started} ms)\n`);
}
