import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../testing';
import { dropMysqlDatabase } from '../database/data-source';

const REPO = join(__dirname, '../../..');
const BIN = join(REPO, 'core/dist/cli/main.js');

jest.setTimeout(120_000);

describe('the plein command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'plein-cli-'));
  const db = freshDatabase(dataDir);
  const env = {
    ...process.env,
    PLEIN_DATA_DIR: dataDir,
    DATABASE_URL: db.engine === 'sqlite' ? `sqlite:${db.path}` : db.url,
    PLEIN_PLUGINS: '@plein/example-kudos',
    REDIS_URL: '',
  };
  const plein = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, env, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  afterAll(async () => {
    await dropMysqlDatabase(db).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints usage and exits 2 for an unknown command or missing arguments', () => {
    const unknown = plein('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown command 'frobnicate'/);
    const missing = plein('user:create', '--email', 'a@b.test');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/required option '--handle <handle>' not specified/);
    expect(plein().code).toBe(2);
  });

  it('migrates with progress, then finds nothing to do', () => {
    const first = plein('migrate');
    expect(first.code).toBe(0);
    expect(first.err).toMatch(/migrating core: \d+ pending/);
    expect(first.err).toMatch(/migrating kudos: \d+ pending/);
    const again = plein('migrate');
    expect(again.code).toBe(0);
    expect(again.out).toContain('nothing to migrate');
  });

  it('creates a user, and exits 1 with the reason when it cannot', () => {
    const ok = plein('user:create', '--email', 'ada@example.test', '--handle', 'ada', '--name', 'Ada Lovelace', '--password', 'correct horse battery', '--admin');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/created admin ada <ada@example.test>/);
    const dup = plein('user:create', '--email', 'ada@example.test', '--handle', 'ada2', '--name', 'Ada');
    expect(dup.code).toBe(1);
    expect(dup.err).toContain('email is already taken');
    const weak = plein('user:create', '--email', 'b@example.test', '--handle', 'bee', '--name', 'B', '--password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('at least 12 characters');
  });

  it('lists plugins and switches one off and on', () => {
    expect(plein('plugins', 'list').out).toMatch(/^kudos\s+1\.0\.0\s+enabled/m);
    expect(plein('plugins', 'disable', 'kudos').code).toBe(0);
    expect(JSON.parse(plein('plugins', 'list', '--json').out)).toEqual([expect.objectContaining({ id: 'kudos', state: 'disabled' })]);
    expect(plein('plugins', 'enable', 'kudos').code).toBe(0);
    const unknown = plein('plugins', 'disable', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("found 'nope'");
  });

  it('refuses `worker` without REDIS_URL, with usage exit code', () => {
    const r = plein('worker');
    expect(r.code).toBe(2);
    expect(r.err).toContain('expected REDIS_URL');
  });
});
