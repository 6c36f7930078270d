import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bootPlein, type RunningPlein } from '../../core/src/app/boot';
import { loadConfig, type PleinConfig } from '../../core/src/config/config';
import { dropMysqlDatabase } from '../../core/src/database/data-source';
import { freshDatabase } from '../../core/src/testing';

/** What one instance boots with beside the shared database. */
export interface InstanceOptions {
  /** Plugin definitions, as `bootPlein` takes them. */
  plugins?: unknown[];
  /** Environment variables to leave out or set (the test process's own are read otherwise). */
  env?: NodeJS.ProcessEnv;
  config?: Partial<PleinConfig>;
}

/**
 * Several Plein instances on one fresh database (SQLite, or MySQL under `DATABASE_URL`), booted as
 * web instances are: no job workers, shared state re-read every 100 ms. `close()` stops them and
 * removes the database.
 */
export function severalInstances(prefix: string): {
  instance(options?: InstanceOptions): Promise<RunningPlein>;
  close(): Promise<void>;
} {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const database = freshDatabase(dataDir);
  const instances: RunningPlein[] = [];
  return {
    async instance(options: InstanceOptions = {}) {
      const config = loadConfig(
        {
          ...process.env,
          PLEIN_CONFIG: undefined,
          PLEIN_DATA_DIR: dataDir,
          PLEIN_PLUGINS: '',
          DATABASE_URL: undefined,
          ...options.env,
        },
        {
          database,
          secret: 'test-secret',
          statePollMs: 100,
          runWorkers: false,
          root: resolve(__dirname, '../..'),
          configPath: null,
          ...options.config,
        },
      );
      const plein = await bootPlein({
        config,
        plugins: (options.plugins ?? []) as never,
        jobs: 'off',
        logger: ['error'],
      });
      instances.push(plein);
      return plein;
    },
    async close() {
      for (const plein of instances) await plein.close();
      await dropMysqlDatabase(database).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
