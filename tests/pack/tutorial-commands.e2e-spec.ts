/**
 * The commands of docs/writing-a-plugin.md that make and test the reader's own plugin, run as
 * pasted, in order, in a copy of this checkout: "1. Scaffold" (`npx plein create-plugin polls`, its
 * output compared with the one the page shows), "2. Install, build, test" (`npm install`, the build
 * and the plugin's own test, then the finished code of examples/polls copied in and tested as
 * `plugins/polls`), and the build and `npm pack` of "13. Publishing and installing". The
 * docs-commands test only checks these (they would change the checkout); here they really run.
 *
 * The copy is the checkout as a fresh clone after `npm install` and `npm run build` would be: the
 * files git tracks (as they are in the working tree), each workspace's build output and
 * `node_modules` (hard links: nothing here writes into a package; npm's own record of the tree is a
 * real copy). npm runs offline, without audit: every package is already there. Skipped: the MySQL
 * run (the services suite runs examples/polls on MySQL) and `npm publish` (it needs an account).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const DOC = 'docs/writing-a-plugin.md';

interface Block {
  section: string;
  commands: string[];
  /** The plain block right after it: what the commands print. */
  shown: string | null;
}

/** The `sh` blocks of the tutorial, with the heading of their section. */
function blocksOf(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('## ')) section = lines[i].slice(3);
    const fence = /^```(\w*)$/.exec(lines[i]);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    if (fence[1] === 'sh') {
      const block: Block = { section, commands: lines.slice(i + 1, end).filter((l) => l.trim()), shown: null };
      let next = end + 1;
      while (next < lines.length && !lines[next].trim()) next++;
      if (lines[next] === '```') {
        let close = next + 1;
        while (close < lines.length && lines[close] !== '```') close++;
        block.shown = lines.slice(next + 1, close).join('\n');
      }
      blocks.push(block);
    }
    // Past the closing fence, so that it is not read as an opening one.
    i = end;
  }
  return blocks;
}

/** The workspace folders of the checkout (package.json `workspaces`, one level of `*`). */
function workspaces(): string[] {
  const globs = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  return globs.flatMap((g) =>
    g.endsWith('/*')
      ? readdirSync(join(ROOT, g.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => `${g.slice(0, -2)}/${e.name}`)
      : [g],
  );
}

/** Copies the checkout to `to` as a built fresh clone (see the top of the file). */
function copyCheckout(to: string): void {
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .stdout.split('\0')
    .filter(Boolean);
  for (const file of tracked) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    // Timestamps kept, so that tsc -b finds the copied build outputs up to date.
    cpSync(join(ROOT, file), join(to, file), { preserveTimestamps: true });
  }
  for (const ws of workspaces()) {
    for (const built of ['dist', 'tsconfig.tsbuildinfo']) {
      if (existsSync(join(ROOT, ws, built)))
        cpSync(join(ROOT, ws, built), join(to, ws, built), { recursive: true, preserveTimestamps: true });
    }
    if (existsSync(join(ROOT, ws, 'node_modules')))
      hardLink(join(ROOT, ws, 'node_modules'), join(to, ws, 'node_modules'));
  }
  hardLink(join(ROOT, 'node_modules'), join(to, 'node_modules'));
  // npm rewrites its record of the tree after an install: a copy of its own, not the checkout's file.
  rmSync(join(to, 'node_modules', '.package-lock.json'), { force: true });
  cpSync(join(ROOT, 'node_modules', '.package-lock.json'), join(to, 'node_modules', '.package-lock.json'));
}

function hardLink(from: string, to: string): void {
  const result = spawnSync('cp', ['-al', from, to], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cp -al ${from} ${to}: ${result.stderr}`);
}

/** Runs one line of the tutorial with bash in `cwd`; answers its exit status and output. */
function sh(command: string, cwd: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NPM_CONFIG_OFFLINE: 'true',
    NPM_CONFIG_AUDIT: 'false',
    NPM_CONFIG_FUND: 'false',
    NPM_CONFIG_UPDATE_NOTIFIER: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  };
  // The plugin's test is a jest run of its own, not a worker of this one.
  delete env.JEST_WORKER_ID;
  return new Promise((done) => {
    const child = spawn('bash', ['-c', command], { cwd, env });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

describe('docs/writing-a-plugin.md, the commands that make and test your plugin', () => {
  let home: string;
  let repo: string;
  const blocks = blocksOf(readFileSync(join(ROOT, DOC), 'utf8'));
  const inSection = (prefix: string) => blocks.filter((b) => b.section.startsWith(prefix));

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'core/dist/cli/main.js')))
      throw new Error('core/dist is missing: run `npm run build` first (`npm test` does it in pretest)');
    home = mkdtempSync(join(tmpdir(), 'plein-tutorial-'));
    repo = join(home, 'plein');
    copyCheckout(repo);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  /** Runs each command of `block` in order; fails naming the first that fails, with its output. */
  async function runBlock(block: Block): Promise<string> {
    let printed = '';
    for (const command of block.commands) {
      const result = await sh(command, repo);
      if (result.code !== 0)
        throw new Error(
          `${DOC} (${block.section}): \`${command}\` exited ${result.code}:\n${result.output.slice(-4000)}`,
        );
      printed += result.output;
    }
    return printed;
  }

  it('1. scaffolds plugins/polls and prints what the page shows', async () => {
    const [scaffold] = inSection('1.');
    expect(scaffold.commands).toEqual(['npx plein create-plugin polls']);
    const printed = await runBlock(scaffold);
    expect(printed.trim()).toBe(scaffold.shown!.trim());
    expect(existsSync(join(repo, 'plugins/polls/src/polls.plugin.ts'))).toBe(true);
  });

  it('2. installs, builds and tests it, then tests the finished code in its place', async () => {
    const steps = inSection('2.');
    const mysql = steps.filter((b) => b.commands.some((c) => c.includes('DATABASE_URL=mysql')));
    expect(mysql).toHaveLength(1);
    const [install, finished] = steps.filter((b) => !mysql.includes(b));
    expect(install.commands).toEqual(['npm install', 'npm run build -w @plein/plugin-polls', 'npx jest plugins/polls']);
    const tested = await runBlock(install);
    expect(readFileSync(join(repo, 'node_modules/@plein/plugin-polls/package.json'), 'utf8')).toContain(
      '"@plein/plugin-polls"',
    );
    expect(existsSync(join(repo, 'plugins/polls/dist/index.js'))).toBe(true);
    expect(tested).toMatch(/Tests:\s+\d+ passed, \d+ total/);

    expect(finished.commands.at(-1)).toBe('npx jest plugins/polls');
    const again = await runBlock(finished);
    expect(again).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(again).not.toMatch(/failed/);
    expect(readFileSync(join(repo, 'plugins/polls/src/polls.plugin.ts'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'examples/polls/src/polls.plugin.ts'), 'utf8'),
    );
  });

  it('13. builds the finished plugin as @plein/plugin-polls and packs it', async () => {
    const [publish] = inSection('13.').filter((b) => b.commands.some((c) => c.startsWith('npm pack')));
    const runnable = { ...publish, commands: publish.commands.filter((c) => !c.startsWith('npm publish')) };
    expect(runnable.commands).toEqual(['npm run build -w @plein/plugin-polls', 'npm pack -w @plein/plugin-polls']);
    await runBlock(runnable);
    // The page says what npm pack writes.
    expect(existsSync(join(repo, 'plein-plugin-polls-0.1.0.tgz'))).toBe(true);
    const loaded = await sh(
      `node -e "const p = require('./plugins/polls').default; console.log(p.id, p.contentTypes.map((t) => t.name).join(' '))"`,
      repo,
    );
    expect(loaded).toEqual({ code: 0, output: 'polls polls.poll\n' });
  });
});
