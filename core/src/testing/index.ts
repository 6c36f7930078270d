import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DeliveredEvent } from '@plein/sdk';
import type { TestIntranet, TestIntranetOptions, TestUser } from '@plein/sdk/testing';
import request from 'supertest';
import { bootPlein, type RunningPlein } from '../app/boot';
import { ManualClock } from '../clock';
import { loadConfig, parseDatabaseUrl, type DatabaseConfig } from '../config/config';
import { dropMysqlDatabase } from '../database/data-source';
import { hashPassword } from '../users/passwords';

let counter = 0;

/** A fresh database for one test intranet: a SQLite file, or a new MySQL database. */
export function freshDatabase(dataDir: string, env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = env.DATABASE_URL;
  if (url && (url.startsWith('mysql://') || url.startsWith('mariadb://'))) {
    const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
    parsed.pathname = `/plein_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    return parseDatabaseUrl(parsed.toString(), dataDir);
  }
  return { engine: 'sqlite', path: join(dataDir, 'plein.sqlite') };
}

/** The implementation behind `createTestIntranet` in `@plein/sdk/testing`. */
export async function bootTestIntranet(options: TestIntranetOptions = {}): Promise<TestIntranet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'plein-test-'));
  const database = freshDatabase(dataDir);
  const names = (options.plugins ?? []).filter((p): p is string => typeof p === 'string');
  const definitions = (options.plugins ?? []).filter((p) => typeof p !== 'string');
  const config = loadConfig(
    { ...process.env, PLEIN_CONFIG: undefined, PLEIN_DATA_DIR: dataDir, PLEIN_PLUGINS: names.join(','), DATABASE_URL: undefined },
    {
      database,
      secret: 'test-secret',
      statePollMs: 0,
      runWorkers: options.jobs === 'auto',
      queuePrefix: `plein-test-${process.pid}-${Date.now().toString(36)}-${counter++}`,
      root: resolve(__dirname, '../../..'),
      configPath: null,
    },
  );
  const clock = new ManualClock();
  let plein: RunningPlein;
  try {
    plein = await bootPlein({
      config,
      plugins: definitions as never,
      clock,
      jobs: options.jobs === 'auto' ? 'auto' : 'manual',
      queue: { pollMs: 50, lockMs: 5000, stalledMs: 5000 },
      logger: ['error', 'warn'],
    });
  } catch (error) {
    await dropMysqlDatabase(database).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  if (config.redisUrl && options.jobs !== 'auto') {
    // BullMQ has no "run now" switch: workers run in process and runDueJobs waits for the queues.
    await plein.jobs.startWorkers();
  }
  const events: DeliveredEvent[] = [];
  plein.events.observers.push((event) => events.push(event));
  const server = plein.app.getHttpServer();
  let users = 0;
  let base: string | null = null;

  return {
    http: request.agent(server),
    agent: () => request.agent(server),
    async url() {
      if (!base) {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const address = server.address();
        base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      }
      return base;
    },
    dataDir,
    engine: plein.db.engine,
    queue: plein.jobs.backend.kind,
    events,
    clock,
    async createUser(o = {}): Promise<TestUser> {
      const n = ++users;
      const handle = o.handle ?? `user${n}`;
      const user = await plein.users.create({
        email: o.email ?? `${handle}@example.test`,
        handle,
        displayName: o.displayName ?? `Test User ${n}`,
        roles: o.roles,
        passwordHash: o.password ? await hashPassword(o.password) : null,
      });
      const { token } = await plein.users.issueToken(user.id, 'test');
      return { user, token, http: request.agent(server).auth(token, { type: 'bearer' }) };
    },
    runDueJobs: () => plein.runDueJobs(),
    get: <T>(token: abstract new (...args: never[]) => T): T => plein.app.get(token as never, { strict: false }),
    async close() {
      const backend = plein.jobs.backend as { obliterate?: () => Promise<void> };
      await backend.obliterate?.();
      await plein.close();
      await dropMysqlDatabase(database).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
