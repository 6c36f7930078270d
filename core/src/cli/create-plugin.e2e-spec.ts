import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createPlugin, PLUGIN_TEMPLATE_DIR } from './create-plugin';
import { EXIT, main } from './main';

// The scaffold is checked by the real tools in child processes: tens of seconds.
jest.setTimeout(180_000);

const repo = resolve(__dirname, '../../..');

const TOOLS = { tsc: 'typescript/bin/tsc', eslint: 'eslint/bin/eslint.js', jest: 'jest/bin/jest.js' } as const;

interface Outcome {
  code: number;
  output: string;
}

/** Runs a tool of the repository (never npx: nothing is fetched) and answers its exit code and output. */
function run(tool: keyof typeof TOOLS | 'node', args: string[], cwd = repo): Promise<Outcome> {
  const env = { ...process.env };
  // The child is a run of its own, not a worker of this one.
  delete env.JEST_WORKER_ID;
  const command = tool === 'node' ? args : [join(repo, 'node_modules', TOOLS[tool]), ...args];
  return new Promise((done) => {
    execFile(process.execPath, command, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** Runs the CLI in process and answers its exit code and what it printed. */
async function plein(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(['node', 'plein', ...args]), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('plein create-plugin, inside the repository', () => {
  // A folder under plugins/ so that the repository's workspaces, tsconfig, ESLint and Jest apply.
  const name = `zz-scaffold-${randomBytes(4).toString('hex')}`;
  const dir = join(repo, 'plugins', name);
  let cli: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    cli = await plein('create-plugin', name, '--dir', dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the plugin in the STYLE.md layout and prints the next steps', () => {
    expect(cli).toMatchObject({ code: EXIT.ok, stderr: '' });
    const files = [
      'README.md',
      'jest.config.js',
      'package.json',
      'tsconfig.json',
      'src/index.ts',
      `src/${name}.plugin.ts`,
      'src/permissions.ts',
      'src/events.ts',
      `src/entities/${name}-item.entity.ts`,
      `src/migrations/1730000000000-${name}-init.ts`,
      'src/dto/create-item.dto.ts',
      `src/services/${name}-item.service.ts`,
      `src/controllers/${name}-item.controller.ts`,
      `src/pages/${name}.page.ts`,
      'views/list.hbs',
      `test/${name}.e2e-spec.ts`,
    ];
    for (const file of files) expect(existsSync(join(dir, file)) ? file : `missing: ${file}`).toBe(file);
    expect(readFileSync(join(dir, 'src/permissions.ts'), 'utf8')).toContain(`'${name}.item.create'`);
    expect(readFileSync(join(dir, `src/entities/${name}-item.entity.ts`), 'utf8')).toContain(
      `@Entity('${name.replace(/-/g, '_')}_item')`,
    );

    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: `@plein/plugin-${name}`,
      version: '0.1.0',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
      scripts: { build: 'tsc -b', test: 'jest' },
      peerDependencies: { '@plein/sdk': '^1.0.0' },
      devDependencies: { '@plein/core': '*' },
    });
    expect(JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))).toMatchObject({
      extends: '../../tsconfig.json',
      references: [{ path: '../../sdk' }],
    });

    const printed = cli.stdout;
    expect(printed).toContain('npm install');
    expect(printed).toContain(`npm run build -w @plein/plugin-${name}`);
    expect(printed).toContain(`npx jest plugins/${name}`);
    expect(printed).toContain(`add "@plein/plugin-${name}" to "plugins" in plein.config.json`);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).not.toMatch(/__\w+__/);
  });

  it('builds with tsc -b, and the built package exports the definition', async () => {
    expect(await run('tsc', ['-b', relative(repo, dir)])).toEqual({ code: 0, output: '' });
    const loaded = await run('node', [
      '-e',
      `const p = require(${JSON.stringify(dir)}).default; console.log(p.id, p.permissions.map((x) => x.name).join(' '))`,
    ]);
    expect(loaded).toEqual({ code: 0, output: `${name} ${name}.item.read ${name}.item.create\n` });
  });

  it('lints clean with the repository ESLint configuration, dependency rule included', async () => {
    expect(await run('eslint', [relative(repo, dir), '--max-warnings', '0'])).toEqual({ code: 0, output: '' });
  });

  it('passes its own test with the repository Jest configuration', async () => {
    // On failure the diff shows the whole output of the run.
    expect(await run('jest', ['--rootDir', repo, `plugins/${name}/test`])).toEqual({
      code: 0,
      output: expect.stringMatching(/Tests:\s+5 passed, 5 total/),
    });
  });

  it('passes its own test with `npm test` (jest) run in its folder', async () => {
    expect(await run('jest', [], dir)).toEqual({
      code: 0,
      output: expect.stringMatching(/Tests:\s+5 passed, 5 total/),
    });
  });
});

describe('plein create-plugin, outside a Plein checkout', () => {
  let home: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'plein-create-plugin-'));
    // Stands in for `npm install`: the packages a standalone plugin would install.
    symlinkSync(join(repo, 'node_modules'), join(home, 'node_modules'), 'dir');
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('writes plugins/<name> under the current folder with a tsconfig of its own that compiles', async () => {
    jest.spyOn(process, 'cwd').mockReturnValue(home);
    let created: ReturnType<typeof createPlugin>;
    try {
      created = createPlugin('team-news');
    } finally {
      jest.restoreAllMocks();
    }
    expect(created).toMatchObject({ dir: join(home, 'plugins', 'team-news'), layout: { kind: 'standalone' } });
    expect(created.files).toEqual(expect.arrayContaining(['src/team-news.plugin.ts', 'tsconfig.test.json']));

    const own = JSON.parse(readFileSync(join(created.dir, 'tsconfig.json'), 'utf8'));
    const root = JSON.parse(readFileSync(join(repo, 'tsconfig.json'), 'utf8'));
    expect(own.extends).toBeUndefined();
    expect(own.compilerOptions).toEqual({ ...root.compilerOptions, rootDir: 'src', outDir: 'dist' });
    expect(readFileSync(join(created.dir, 'src/team-news.plugin.ts'), 'utf8')).toContain("displayName: 'Team news'");

    expect(await run('tsc', ['-b', created.dir])).toEqual({ code: 0, output: '' });
  });

  it('refuses a folder that is not empty, naming what it found', async () => {
    const taken = join(home, 'taken');
    createPlugin('polls', taken); // a missing folder is created
    expect(() => createPlugin('polls', taken)).toThrow(
      new RegExp(
        `^create-plugin: expected an empty or missing folder at ${taken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, found \\d+ entries \\(README\\.md, `,
      ),
    );

    const notes = join(home, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'polls-notes.txt'), 'ideas');
    const cli = await plein('create-plugin', 'polls', '--dir', notes);
    expect(cli).toMatchObject({ code: EXIT.failed, stdout: '' });
    expect(cli.stderr).toBe(
      `plein: create-plugin: expected an empty or missing folder at ${notes}, found 1 entry (polls-notes.txt)\n`,
    );
  });
});

describe('plein create-plugin, arguments and template', () => {
  it('answers a bad name with exit code 2 and the usage hint, writing nothing', async () => {
    const cli = await plein('create-plugin', 'Bad_Name');
    expect(cli.code).toBe(EXIT.usage);
    expect(cli.stderr).toContain("'Bad_Name' is invalid");
    expect(cli.stderr).toContain('expected lower case letters, digits and dashes, starting with a letter');
    expect(cli.stderr).toContain('plein --help');
    expect(existsSync(join(process.cwd(), 'plugins', 'Bad_Name'))).toBe(false);
  });

  it('keeps every template file out of reach of tsc, ESLint and Jest with a .tpl suffix', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const all = files(PLUGIN_TEMPLATE_DIR);
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((f) => !f.endsWith('.tpl'))).toEqual([]);
  });
});
