/**
 * Plugin independence: a plugin package installs from its `npm pack` tarball into a fresh Plein
 * install and is enabled by naming it in that install's plein.config.json. The install folder is
 * what a site would have: a package.json, a plein.config.json, and node_modules with @plein/core,
 * @plein/sdk and the framework packages (linked from this checkout's built packages), plus the
 * kudos example installed from its tarball with npm, offline. `plein start` runs as a child process
 * in that folder, on SQLite, whatever DATABASE_URL the test run has.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
const KUDOS = join(ROOT, 'examples', 'kudos');

/** Runs a command to completion and returns its stdout; throws with the output when it fails. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}${result.stderr}${result.error ?? ''}`,
    );
  return result.stdout;
}

/** node_modules/<name> in the install → the same package in this checkout. */
function link(install: string, name: string): void {
  const target = realpathSync(join(ROOT, 'node_modules', name));
  const at = join(install, 'node_modules', name);
  mkdirSync(dirname(at), { recursive: true });
  symlinkSync(target, at, 'dir');
}

describe('a plugin installed from its npm pack tarball', () => {
  let tmp: string;
  let install: string;
  let tarball: string;
  let server: ChildProcess | null = null;
  let log = '';
  // The install's own environment: SQLite in its data folder, the embedded queue, its own config.
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'plein-plugin-install-')));
    install = join(tmp, 'intranet');
    mkdirSync(install);
    env = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      NPM_CONFIG_UPDATE_NOTIFIER: 'false',
      NPM_CONFIG_PROGRESS: 'false',
    };
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'PLEIN_CONFIG', 'PLEIN_PLUGINS', 'PLEIN_DATA_DIR', 'PLEIN_THEME'])
      delete env[name];
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('packs the kudos example with its built code, views and locales, and no sources', () => {
    run(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-b', 'examples/kudos'], ROOT);
    const report = JSON.parse(run('npm', ['pack', '--pack-destination', tmp, '--json'], KUDOS)) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarball = join(tmp, report[0].filename);
    const files = report[0].files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'dist/index.js', 'views/list.hbs', 'locales/en.json', 'locales/nl.json']),
    );
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('installs the tarball into a fresh install folder with npm, offline', () => {
    writeFileSync(
      join(install, 'package.json'),
      `${JSON.stringify({ name: 'our-intranet', version: '1.0.0', private: true }, null, 2)}\n`,
    );
    // The plugin's peers (@plein/sdk, @nestjs/common, typeorm, class-validator) are the install's to
    // provide: linked below, so npm is told not to fetch them.
    run(
      'npm',
      ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps'],
      install,
      env,
    );
    const installed = join(install, 'node_modules', '@plein', 'example-kudos');
    expect(JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'))).toMatchObject({
      name: '@plein/example-kudos',
    });
    expect(existsSync(join(installed, 'dist', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    for (const name of [
      '@plein/core',
      '@plein/sdk',
      '@plein/theme-default',
      '@nestjs/common',
      'typeorm',
      'class-validator',
    ])
      link(install, name);
    expect(
      JSON.parse(readFileSync(join(install, 'package.json'), 'utf8')).dependencies['@plein/example-kudos'],
    ).toMatch(/^file:/);
  });

  it('is enabled by naming it in plein.config.json, and serves its API under plein start', async () => {
    writeFileSync(
      join(install, 'plein.config.json'),
      `${JSON.stringify({ plugins: ['@plein/example-kudos'], theme: 'default' }, null, 2)}\n`,
    );
    const plein = join(install, 'node_modules', '@plein', 'core', 'bin', 'plein.js');
    run(
      process.execPath,
      [plein, 'user:create', '--email', 'admin@example.test', '--handle', 'admin', '--name', 'Admin', '--admin'],
      install,
      env,
    );
    const token = run(process.execPath, [plein, 'token:create', '--handle', 'admin'], install, env)
      .trim()
      .split('\n')
      .pop()!
      .trim();

    server = spawn(process.execPath, [plein, 'start'], { cwd: install, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    let port: number | null = null;
    for (const until = Date.now() + 90_000; port === null && Date.now() < until;) {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (match) port = Number(match[1]);
      else if (server.exitCode !== null) throw new Error(`plein start exited with ${server.exitCode}:\n${log}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (port === null) throw new Error(`plein start did not listen:\n${log}`);
    expect(existsSync(join(install, 'data'))).toBe(true); // the install's own database and secret

    const base = `http://127.0.0.1:${port}`;
    const plugins = await fetch(`${base}/api/v1/plugins`, { headers: { authorization: `Bearer ${token}` } });
    expect(plugins.status).toBe(200);
    const listed = ((await plugins.json()) as { items: Array<{ id: string; state: string; version: string }> }).items;
    expect(listed).toEqual([expect.objectContaining({ id: 'kudos', state: 'enabled', version: '1.0.0' })]);
    const kudos = await fetch(`${base}/api/v1/kudos`);
    expect(kudos.status).toBe(200);
    expect(await kudos.json()).toEqual({ items: [], nextCursor: null });
    const page = await fetch(`${base}/kudos`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Recent thanks'); // the view and the catalogue came from the tarball
  });
});
