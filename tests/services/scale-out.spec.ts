import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../../core/src/testing';
import { dropMysqlDatabase } from '../../core/src/database/data-source';
import { eventually, sleep } from '../e2e/helpers';
import { PLEIN_BIN, REPO, startPlein, stopPlein, type PleinProcess } from '../e2e/process';

jest.setTimeout(180_000);

/**
 * Two `plein start` instances and one `plein worker` as real processes on one MySQL and one
 * Redis: the production shape of DESIGN.md §6.
 */
describe('scale-out on MySQL + Redis', () => {
  if (!process.env.DATABASE_URL?.startsWith('mysql') || !process.env.REDIS_URL) {
    throw new Error('tests/services needs DATABASE_URL=mysql://… and REDIS_URL (run `npm run test:services`)');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'plein-scale-'));
  const db = freshDatabase(dataDir);
  const env: NodeJS.ProcessEnv = {
    PLEIN_DATA_DIR: dataDir,
    PLEIN_PLUGINS: '@plein/example-kudos',
    DATABASE_URL: db.engine === 'mysql' ? db.url : '',
    PLEIN_QUEUE_PREFIX: `plein-scale-${process.pid}`,
    PLEIN_STATE_POLL_MS: '300',
    PORT: '0',
    HOST: '127.0.0.1',
  };
  const procs: PleinProcess[] = [];
  const cli = (...args: string[]) => execFileSync(process.execPath, [PLEIN_BIN, ...args], { cwd: REPO, env: { ...process.env, ...env } }).toString().trim();

  afterAll(async () => {
    for (const p of procs) await stopPlein(p);
    await dropMysqlDatabase(db).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a durable event once through the worker and shares plugin state across instances', async () => {
    cli('migrate');
    cli('user:create', '--email', 'ada@example.test', '--handle', 'ada', '--name', 'Ada', '--admin');
    cli('user:create', '--email', 'bob@example.test', '--handle', 'bob', '--name', 'Bob');
    const adaToken = cli('token:create', '--handle', 'ada').split('\n').pop()!;
    const a = await startPlein(['start', '--no-worker'], env);
    const b = await startPlein(['start', '--no-worker'], env);
    const worker = await startPlein(['worker'], env);
    procs.push(a, b, worker);
    const api = (p: PleinProcess) => `http://127.0.0.1:${p.port}/api/v1`;
    const auth = { authorization: `Bearer ${adaToken}`, 'content-type': 'application/json' };

    const listed = ((await (await fetch(`${api(a)}/kudos`)).json()) as { items: unknown[] }).items;
    expect(listed).toEqual([]);
    const plugins = await (await fetch(`${api(a)}/plugins`, { headers: auth })).json();
    expect(plugins.items.map((p: { id: string }) => p.id)).toEqual(['kudos']);

    const bobId = await lookupUserId('bob');
    const given = await fetch(`${api(a)}/kudos`, { method: 'POST', headers: auth, body: JSON.stringify({ toUserId: bobId, message: 'Thanks from A' }) });
    expect(given.status).toBe(201);

    const tally = async () => ((await (await fetch(`${api(b)}/kudos/leaderboard`)).json()) as { items: Array<{ received: number }> }).items;
    expect(await eventually(async () => (await tally()).length === 1, 30_000, 200)).toBe(true);
    await sleep(2000);
    expect((await tally())[0].received).toBe(1);
    expect(worker.output()).not.toMatch(/failed/);

    const disabled = await fetch(`${api(a)}/plugins/kudos/disable`, { method: 'POST', headers: auth });
    expect(disabled.status).toBe(200);
    expect(await eventually(async () => (await fetch(`${api(b)}/kudos`)).status === 404, 10_000, 100)).toBe(true);
    const health = await (await fetch(`${api(b)}/health`)).json();
    expect(health).toMatchObject({ database: 'mysql', queue: 'bullmq', plugins: [{ id: 'kudos', state: 'disabled' }] });
  });

  async function lookupUserId(handle: string): Promise<string> {
    const { DataSource } = await import('typeorm');
    const ds = new DataSource({ type: 'mysql', url: db.engine === 'mysql' ? db.url : '' });
    await ds.initialize();
    try {
      const [row] = await ds.query('SELECT id FROM core_user WHERE handle = ?', [handle]);
      return row.id as string;
    } finally {
      await ds.destroy();
    }
  }
});
