import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../../core/src/testing';
import { DataSource } from 'typeorm';
import { dataSourceOptions, dropMysqlDatabase } from '../../core/src/database/data-source';
import { eventually, sleep } from './helpers';
import { REPO, startPlein, stopPlein, type PleinProcess } from './process';

jest.setTimeout(120_000);

describe('durable delivery across a crash', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plein-crash-'));
  const db = freshDatabase(dataDir);
  const env: NodeJS.ProcessEnv = {
    PLEIN_DATA_DIR: dataDir,
    PLEIN_PLUGINS: join(REPO, 'tests/fixtures/crash-after-commit'),
    DATABASE_URL: db.engine === 'sqlite' ? `sqlite:${db.path}` : db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    PLEIN_QUEUE_PREFIX: `plein-crash-${process.pid}`,
    // A worker killed mid-job holds its lock until it expires; keep that short here.
    PLEIN_JOB_LOCK_MS: '2000',
    PLEIN_JOB_STALLED_MS: '1000',
  };
  let proc: PleinProcess | null = null;

  afterAll(async () => {
    if (proc) await stopPlein(proc);
    await dropMysqlDatabase(db).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the durable handler exactly once after a SIGKILL between commit and delivery', async () => {
    proc = await startPlein(['start'], env);
    const base = `http://127.0.0.1:${proc.port}`;
    await fetch(`${base}/api/v1/crash/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kill":true}' }).catch(() => undefined);
    const { signal } = await proc.exited;
    expect(signal).toBe('SIGKILL');
    // Killed after the commit and before delivery: the outbox row waits, the handler has not run.
    const ds = new DataSource(dataSourceOptions(db, { entities: [] }));
    await ds.initialize();
    const [pending] = await ds.query("SELECT COUNT(*) AS n FROM core_outbox WHERE status = 'pending'");
    const [handled] = await ds.query('SELECT COUNT(*) AS n FROM crash_seen');
    await ds.destroy();
    expect(Number(pending.n)).toBe(1);
    expect(Number(handled.n)).toBe(0);

    proc = await startPlein(['start'], env);
    const restarted = `http://127.0.0.1:${proc.port}`;
    const seen = async () => ((await (await fetch(`${restarted}/api/v1/crash/seen`)).json()) as { items: unknown[] }).items.length;
    expect(await eventually(async () => (await seen()) > 0, 30_000, 100)).toBe(true);
    await sleep(1500);
    expect(await seen()).toBe(1);
  });
});
