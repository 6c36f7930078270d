/**
 * Every command in the docs works as pasted. The fenced `sh`, `bash`, `shell` and `console` blocks of
 * README.md and docs/*.md (not the generated docs/sdk/) are read, each command line is classified,
 * and then:
 *
 * - `plein` commands (`npx plein …`, `node core/bin/plein.js …`, `npm run plein -- …`) are checked
 *   against the CLI's own definition (the subcommand exists, every option used exists, the arguments
 *   fit). `user:create`, `token:create`, `plugins …`, `migrate`, `search reindex`, `theme check` and
 *   `create-plugin` are then run for real as child processes, in the order of their file, each file
 *   on a fresh SQLite database in a temporary PLEIN_DATA_DIR (`create-plugin` writes into a temporary
 *   folder, not the checkout). `start` and `worker` are only checked: the server the `curl` blocks
 *   talk to is itself a `plein start`, and `worker` needs Redis.
 * - blocks with `curl` run as bash scripts against that server (a `plein start` on SQLite with every
 *   plugin of plein.config.json and the polls example), with `http://localhost:3000` replaced by its
 *   address and `<token>`, `$TOKEN` and `$ADMIN_TOKEN` by an administrator's token. curl gets
 *   `--fail-with-body`, so an HTTP error fails the command. getting-started.md runs first (it makes
 *   the space `lab` that spaces.md uses).
 * - `npm run X` / `npm start` / `npm test` must name a script of the package.json they target (`-w`
 *   names a workspace); `npm pack|publish|install -w W` a workspace; `npx jest PATH` a path that exists;
 *   `rm`/`cp` paths that exist. A workspace or path that a `create-plugin` earlier in the same file
 *   made counts as existing.
 * - `node -e …` and `sqlite3` (the backups) run for real in the file's install folder, whose `data/`
 *   is its PLEIN_DATA_DIR.
 *
 * A block preceded by `<!-- docs-test: skip (reason) -->` is not run (it needs MySQL, Redis, several
 * machines or root); its `plein` and `npm` commands are still checked, and its commands are counted
 * as skipped. A block preceded by `<!-- docs-test: exits N -->` shows a command failing on purpose
 * (e.g. `plein theme check` of a broken theme): its commands must exit with N. Anything else is
 * unknown and fails the test, like a command that fails: the failure lists file:line of each.
 * `DOCS_TEST_LIST=1` prints what became of every command.
 *
 * The tutorial's `npm install`, `npm run build -w @plein/plugin-polls`, `npx jest plugins/polls`,
 * `rm`/`cp` and `npm pack -w @plein/plugin-polls` are only checked here, as they would change the
 * checkout: tests/pack/tutorial-commands.e2e-spec.ts runs them for real in a copy of it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

jest.setTimeout(240_000);

const ROOT = join(__dirname, '..', '..');
const PASSWORD = 'a long passphrase';

// ---------------------------------------------------------------------------------------------
// Reading the docs

interface DocCommand {
  file: string; // relative to ROOT
  line: number; // 1-based line of the command's first line
  text: string; // as written (continuations and multi-line quotes kept)
  words: string[][]; // the pipeline/list segments, each as shell words (quotes removed)
  env: Record<string, string>; // VAR=value prefixes and the block's `export`s before it
  skip: string | null; // the block's skip reason
  http: boolean; // the block talks to a server (it has curl)
  block: number; // line of the block's opening fence
  exits: number; // the exit status the block's commands are documented with (0 unless marked)
}

const SKIP_MARKER = /^<!--\s*docs-test:\s*skip\s*\((.+)\)\s*-->$/;
const EXITS_MARKER = /^<!--\s*docs-test:\s*exits\s+(\d+)\s*-->$/;

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/**
 * Splits a block into commands: a command ends at a newline outside quotes, `$(…)` and a trailing
 * backslash. Returns each command's text and words per segment (`&&`, `||`, `;`, `|` separate
 * segments; redirections and comments are dropped).
 */
function splitCommands(lines: string[], firstLine: number): Array<{ line: number; text: string; words: string[][] }> {
  const out: Array<{ line: number; text: string; words: string[][] }> = [];
  let text = '';
  let start = 0;
  let quote: "'" | '"' | null = null;
  let depth = 0;
  let segments: string[][] = [[]];
  let word: string | null = null;
  let redirect = false;
  const endWord = () => {
    if (word === null) return;
    if (redirect) redirect = false;
    else segments[segments.length - 1].push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    const words = segments.filter((s) => s.length > 0);
    if (text.trim() !== '' && words.length > 0) out.push({ line: start, text: text.replace(/\s+$/, ''), words });
    text = '';
    segments = [[]];
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    if (text === '') {
      if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
      start = firstLine + i;
    }
    let line = raw;
    let continued = false;
    if (quote === null && depth === 0 && /\\\s*$/.test(line)) {
      continued = true;
      line = line.replace(/\\\s*$/, '');
    }
    text += (text === '' ? '' : '\n') + raw;
    for (let j = 0; j < line.length; j++) {
      const c = line[j];
      if (quote === "'") {
        if (c === "'") quote = null;
        else word += c;
        continue;
      }
      if (quote === '"') {
        if (c === '"' && depth === 0) quote = null;
        else if (c === '\\' && j + 1 < line.length) word += line[++j];
        else {
          if (c === '$' && line[j + 1] === '(') depth++;
          else if (c === ')' && depth > 0) depth--;
          word += c;
        }
        continue;
      }
      if (depth > 0) {
        if (c === '(') depth++;
        else if (c === ')') depth--;
        word = (word ?? '') + c;
        continue;
      }
      if (c === '#' && word === null) break; // a comment
      if (c === ' ' || c === '\t') {
        endWord();
        continue;
      }
      if (c === "'" || c === '"') {
        quote = c;
        word = word ?? '';
        continue;
      }
      if (c === '$' && line[j + 1] === '(') {
        depth++;
        word = (word ?? '') + '$(';
        j++;
        continue;
      }
      if (c === '&' || c === '|' || c === ';') {
        endWord();
        if ((c === '&' || c === '|') && line[j + 1] === c) j++;
        segments.push([]);
        continue;
      }
      if (c === '>' || c === '<') {
        endWord();
        if (line[j + 1] === '>') j++;
        redirect = true;
        continue;
      }
      word = (word ?? '') + c;
    }
    if (quote !== null) {
      word += '\n';
      continue;
    }
    if (depth > 0 || continued) {
      endWord();
      continue;
    }
    endCommand();
  }
  endCommand();
  return out;
}

function readDocCommands(): DocCommand[] {
  const all: DocCommand[] = [];
  for (const file of docFiles()) {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const fence = /^(\s*)(`{3,})\s*(sh|bash|shell|console)\s*$/.exec(lines[i]);
      if (!fence) continue;
      let end = i + 1;
      while (end < lines.length && !new RegExp(`^\\s*${fence[2]}\\s*$`).test(lines[end])) end++;
      let before = i - 1;
      while (before >= 0 && lines[before].trim() === '') before--;
      const marker = before >= 0 ? SKIP_MARKER.exec(lines[before].trim()) : null;
      const exits = before >= 0 ? EXITS_MARKER.exec(lines[before].trim()) : null;
      let body = lines.slice(i + 1, end).map((l) => l.slice(fence[1].length));
      // A console block shows prompts: only `$ ` lines are commands.
      if (fence[3] === 'console') body = body.map((l) => (l.startsWith('$ ') ? l.slice(2) : ''));
      const commands = splitCommands(body, i + 2);
      const http = commands.some((c) => /(^|[\s($|])curl\s/.test(c.text));
      const blockEnv: Record<string, string> = {};
      for (const c of commands) {
        const env: Record<string, string> = { ...blockEnv };
        for (const segment of c.words) {
          while (segment.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(segment[0])) {
            const [name, ...value] = segment.shift()!.split('=');
            env[name] = value.join('=');
          }
        }
        const first = c.words.find((s) => s.length > 0);
        if (first?.[0] === 'export')
          for (const assignment of first.slice(1)) {
            const [name, ...value] = assignment.split('=');
            blockEnv[name] = value.join('=');
          }
        all.push({
          file,
          line: c.line,
          text: c.text,
          words: c.words.filter((s) => s.length > 0),
          env,
          skip: marker?.[1] ?? null,
          http,
          block: i + 1,
          exits: exits ? Number(exits[1]) : 0,
        });
      }
      i = end;
    }
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Checking commands against the CLI, the package.json files and the checkout

interface CliOption {
  long?: string;
  short?: string;
  required: boolean;
  optional: boolean;
}
interface CliCommand {
  name(): string;
  commands: CliCommand[];
  options: CliOption[];
  registeredArguments?: Array<{ required: boolean; variadic: boolean }>;
}

/** The words after `plein` in a command, or null when it is not a plein command. */
function pleinArgs(words: string[]): string[] | null {
  if (words[0] === 'npx' && words[1] === 'plein') return words.slice(2);
  if (words[0] === 'node' && /(^|\/)core\/bin\/plein\.js$/.test(words[1] ?? '')) return words.slice(2);
  if (words[0] === 'plein') return words.slice(1);
  if (words[0] === 'npm' && words[1] === 'run' && words[2] === 'plein')
    return words[3] === '--' ? words.slice(4) : words.slice(3);
  return null;
}

/** Checks plein's arguments against the program; returns the subcommand path or a problem. */
function checkPlein(program: CliCommand, args: string[]): { path: string[] } | { problem: string } {
  let command = program;
  const path: string[] = [];
  let i = 0;
  while (i < args.length && command.commands.length > 0 && !args[i].startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === args[i]);
    if (!sub) return { problem: `plein has no command '${[...path, args[i]].join(' ')}'` };
    command = sub;
    path.push(args[i]);
    i++;
  }
  if (path.length === 0) return { problem: 'plein without a command' };
  if (command.commands.length > 0) return { problem: `plein ${path.join(' ')} needs a subcommand` };
  const positional: string[] = [];
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') continue;
    if (arg.startsWith('-')) {
      const name = arg.split('=')[0];
      const option = command.options.find((o) => o.long === name || o.short === name);
      if (!option) return { problem: `plein ${path.join(' ')} has no option ${name}` };
      if (option.required && !arg.includes('=')) {
        if (i + 1 >= args.length) return { problem: `plein ${path.join(' ')}: ${name} needs a value` };
        i++;
      }
      continue;
    }
    positional.push(arg);
  }
  const declared = command.registeredArguments ?? [];
  const required = declared.filter((a) => a.required).length;
  const variadic = declared.some((a) => a.variadic);
  if (positional.length < required || (!variadic && positional.length > declared.length))
    return { problem: `plein ${path.join(' ')} takes ${declared.length} argument(s), given ${positional.length}` };
  return { path };
}

/** Workspace package name → its folder. */
function workspaces(): Map<string, string> {
  const found = new Map<string, string>();
  const patterns = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] })
    .workspaces;
  for (const pattern of patterns) {
    const dirs = pattern.endsWith('/*')
      ? readdirSync(join(ROOT, pattern.slice(0, -2)), { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => join(pattern.slice(0, -2), e.name))
      : [pattern];
    for (const dir of dirs) {
      const manifest = join(ROOT, dir, 'package.json');
      if (existsSync(manifest))
        found.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, join(ROOT, dir));
    }
  }
  return found;
}

function scriptsOf(dir: string): Record<string, string> {
  return (
    (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {}
  );
}

// ---------------------------------------------------------------------------------------------
// Processes

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NPM_CONFIG_UPDATE_NOTIFIER: 'false', ...extra };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PLEIN_CONFIG', 'PLEIN_PLUGINS', 'PLEIN_THEME', 'PLEIN_WORKERS'])
    if (!(name in extra)) delete env[name];
  return env;
}

function runProcess(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  expected = 0,
): { ok: boolean; output: string } {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return {
    ok: result.status === expected,
    output: `exit status ${result.status}\n${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`,
  };
}

const PLEIN_BIN = join(ROOT, 'core', 'bin', 'plein.js');

function plein(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const result = runProcess(process.execPath, [PLEIN_BIN, ...args], cwd, env);
  if (!result.ok) throw new Error(`plein ${args.join(' ')} failed:\n${result.output}`);
  return result.output;
}

// ---------------------------------------------------------------------------------------------

function cliProgram(): CliCommand {
  // The built CLI, as `npx plein` runs it (built by `npm run build`, like the plein.js it backs).
  const load = createRequire(__filename);
  const { buildProgram } = load(join(ROOT, 'core', 'dist', 'cli', 'main.js')) as { buildProgram: () => CliCommand };
  return buildProgram();
}

const RUN_FOR_REAL = ['user:create', 'token:create', 'plugins', 'migrate', 'search', 'theme', 'create-plugin'];

describe('the commands in the docs', () => {
  const commands = readDocCommands();
  let tmp: string;
  let server: ChildProcess | null = null;
  let serverLog = '';
  let base = '';
  let adminToken = '';
  let serverEnv: NodeJS.ProcessEnv = {};
  const problems: string[] = [];
  /** What became of each command, printed with DOCS_TEST_LIST=1. */
  const outcomes: string[] = [];
  const tally = { run: 0, checked: 0, skipped: 0 };
  const count = (command: DocCommand, how: 'run' | 'checked' | 'skipped') => {
    tally[how]++;
    outcomes.push(
      `${how.padEnd(7)} ${command.file}:${command.line}${how === 'skipped' ? ` (${command.skip})` : ''}  ${command.text.split('\n')[0]}`,
    );
  };
  const where = (c: DocCommand) => `${c.file}:${c.line}`;

  beforeAll(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'plein-docs-')));
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the command blocks of README.md and docs/*.md', () => {
    expect(commands.length).toBeGreaterThan(50);
    expect(commands.some((c) => c.file === 'docs/getting-started.md')).toBe(true);
  });

  it('reads commands as the shell would, and tells a wrong plein command by what is wrong', () => {
    const [command] = splitCommands(
      ['X=1 npx plein user:create --name "Ada L" \\', "  --email 'a@b' && echo ok # done"],
      7,
    );
    expect(command).toMatchObject({
      line: 7,
      words: [
        ['X=1', 'npx', 'plein', 'user:create', '--name', 'Ada L', '--email', 'a@b'],
        ['echo', 'ok'],
      ],
    });
    const program = cliProgram();
    expect(checkPlein(program, ['user:create', '--email', 'a@b', '--handle', 'a', '--name', 'A'])).toEqual({
      path: ['user:create'],
    });
    expect(checkPlein(program, ['user:create', '--mail', 'a@b'])).toEqual({
      problem: 'plein user:create has no option --mail',
    });
    expect(checkPlein(program, ['users', 'create'])).toEqual({ problem: "plein has no command 'users'" });
    expect(checkPlein(program, ['plugins', 'disable'])).toEqual({
      problem: 'plein plugins disable takes 1 argument(s), given 0',
    });
  });

  it('checks and runs every command that does not need a server', () => {
    const program = cliProgram();
    const packages = workspaces();
    const rootScripts = scriptsOf(ROOT);
    const tracked = spawnSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);

    // Per file: its install folder (data/ is its PLEIN_DATA_DIR), and what its create-plugin made.
    const installs = new Map<string, { dir: string; created: Map<string, string>; packed: Set<string> }>();
    const installOf = (file: string) => {
      let install = installs.get(file);
      if (!install) {
        install = { dir: join(tmp, file.replace(/[^a-z0-9]+/gi, '-')), created: new Map(), packed: new Set() };
        mkdirSync(join(install.dir, 'data'), { recursive: true });
        installs.set(file, install);
      }
      return install;
    };
    /** A path in the checkout, or under a plugin made by this file's create-plugin. */
    const pathExists = (file: string, path: string, asPattern = false): boolean => {
      const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
      for (const [made, real] of installOf(file).created)
        if (clean === made || clean.startsWith(`${made}/`)) return existsSync(join(real, relative(made, clean)));
      if (existsSync(join(ROOT, clean))) return true;
      return asPattern && tracked.some((f) => f.includes(clean));
    };
    const workspaceDir = (file: string, name: string): string | undefined => {
      for (const real of installOf(file).created.values())
        if (
          existsSync(join(real, 'package.json')) &&
          JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')).name === name
        )
          return real;
      return packages.get(name);
    };

    for (const command of commands.filter((c) => !c.http)) {
      const install = installOf(command.file);
      const fail = (why: string) =>
        problems.push(`${where(command)}: ${why}\n    ${command.text.split('\n').join('\n    ')}`);
      const needsServices = /^mysql:/.test(command.env.DATABASE_URL ?? '') || 'REDIS_URL' in command.env;
      let ranOne = false;
      let unknown = false;
      // The variables that name things in the checkout name things that exist.
      for (const name of (command.env.PLEIN_PLUGINS ?? '').split(',').filter(Boolean))
        if (!packages.has(name) && !pathExists(command.file, name))
          fail(`PLEIN_PLUGINS names ${name}, which is not installed`);
      if (command.env.PLEIN_THEME && !existsSync(join(ROOT, 'themes', command.env.PLEIN_THEME, 'layouts')))
        fail(`PLEIN_THEME names ${command.env.PLEIN_THEME}, which is not in themes/`);
      if (command.env.PLEIN_CONFIG && !pathExists(command.file, command.env.PLEIN_CONFIG))
        fail(`PLEIN_CONFIG names ${command.env.PLEIN_CONFIG}, which does not exist`);
      for (const words of command.words) {
        if (words[0] === 'export') continue;
        const args = pleinArgs(words);
        if (args) {
          const parsed = checkPlein(program, args);
          if ('problem' in parsed) {
            fail(parsed.problem);
            continue;
          }
          const real = RUN_FOR_REAL.includes(parsed.path[0]) && !args.includes('--down') && !args.includes('--help');
          if (!real || command.skip) continue;
          if (needsServices) {
            fail('runs against MySQL or Redis: mark the block <!-- docs-test: skip (needs MySQL) -->');
            continue;
          }
          const env = cleanEnv({ ...command.env, PLEIN_DATA_DIR: join(install.dir, 'data') });
          if ('PLEIN_CONFIG' in command.env) env.PLEIN_CONFIG = join(ROOT, command.env.PLEIN_CONFIG);
          // create-plugin writes into the install folder, never into the checkout.
          const cwd = parsed.path[0] === 'create-plugin' ? install.dir : ROOT;
          const result = runProcess(process.execPath, [PLEIN_BIN, ...args], cwd, env, command.exits);
          if (!result.ok) fail(`expected exit status ${command.exits}:\n${result.output}`);
          else if (parsed.path[0] === 'create-plugin') {
            const at = args.includes('--dir')
              ? args[args.indexOf('--dir') + 1]
              : `plugins/${args.find((a) => !a.startsWith('-') && a !== 'create-plugin')}`;
            install.created.set(at, join(install.dir, at));
          }
          ranOne = true;
          continue;
        }
        if (words[0] === 'npm') {
          const w = words.indexOf('-w') >= 0 ? words[words.indexOf('-w') + 1] : undefined;
          const dir = w === undefined ? ROOT : workspaceDir(command.file, w);
          if (dir === undefined) {
            fail(`no workspace ${w}`);
            continue;
          }
          const verb = words[1];
          if (verb === 'run' || verb === 'start' || verb === 'test') {
            const script = verb === 'run' ? words[2] : verb;
            const scripts = dir === ROOT ? rootScripts : existsSync(join(dir, 'package.json')) ? scriptsOf(dir) : {};
            if (!(script in scripts))
              fail(`no script '${script}' in ${relative(ROOT, join(dir, 'package.json')) || 'package.json'}`);
          } else if (verb === 'pack' || verb === 'publish') {
            // The tarball npm pack writes: @scope/name 1.2.3 → scope-name-1.2.3.tgz
            const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
              name: string;
              version: string;
            };
            install.packed.add(`${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
          } else if (verb === 'install' || verb === 'ci') {
            const local = words.slice(2).filter((a) => !a.startsWith('-'));
            for (const path of local)
              if (
                path.endsWith('.tgz') ? !install.packed.has(path.replace(/^.*\//, '')) : !pathExists(command.file, path)
              )
                fail(`npm install of ${path}: no such package or tarball here`);
          } else {
            unknown = true;
          }
          continue;
        }
        if (words[0] === 'npx' && words[1] === 'jest') {
          for (const path of words.slice(2).filter((a) => !a.startsWith('-')))
            if (!pathExists(command.file, path, true)) fail(`jest: nothing matches ${path}`);
          continue;
        }
        if (words[0] === 'rm' || words[0] === 'cp') {
          const paths = words.slice(1).filter((a) => !a.startsWith('-'));
          const sources = words[0] === 'cp' ? paths.slice(0, -1) : paths;
          for (const path of sources) if (!pathExists(command.file, path)) fail(`${words[0]}: no ${path}`);
          if (words[0] === 'cp' && !pathExists(command.file, paths[paths.length - 1]))
            fail(`cp: no folder ${paths[paths.length - 1]}`);
          continue;
        }
        if (command.skip) continue;
        if (words[0] === 'node' && words[1] === '-e') {
          const result = runProcess(
            process.execPath,
            words.slice(1),
            install.dir,
            cleanEnv({ NODE_PATH: join(ROOT, 'node_modules') }),
          );
          if (!result.ok) fail(`exited non-zero:\n${result.output}`);
          ranOne = true;
          continue;
        }
        if (words[0] === 'sqlite3') {
          if (spawnSync('sqlite3', ['-version']).status !== 0) continue; // not installed here: checked where it is
          const result = runProcess('sqlite3', words.slice(1), install.dir, process.env);
          if (!result.ok) fail(`exited non-zero:\n${result.output}`);
          ranOne = true;
          continue;
        }
        unknown = true;
      }
      if (command.skip) count(command, 'skipped');
      else if (unknown)
        fail(`unknown command: run it in this test, or mark its block <!-- docs-test: skip (reason) -->`);
      else count(command, ranOne ? 'run' : 'checked');
    }
  });

  it('starts the server the curl blocks talk to', async () => {
    const data = join(tmp, 'server-data');
    const plugins = (JSON.parse(readFileSync(join(ROOT, 'plein.config.json'), 'utf8')) as { plugins: string[] })
      .plugins;
    const env = cleanEnv({
      PLEIN_DATA_DIR: data,
      PLEIN_CONFIG: join(ROOT, 'plein.config.json'),
      PLEIN_PLUGINS: [...plugins, '@plein/example-polls'].join(','),
      PORT: '0',
      HOST: '127.0.0.1',
    });
    serverEnv = env;
    plein(
      [
        'user:create',
        '--email',
        'admin@example.com',
        '--handle',
        'admin',
        '--name',
        'Admin',
        '--password',
        PASSWORD,
        '--admin',
      ],
      ROOT,
      env,
    );
    plein(
      [
        'user:create',
        '--email',
        'mod@example.com',
        '--handle',
        'mod',
        '--name',
        'Mod',
        '--password',
        PASSWORD,
        '--admin',
      ],
      ROOT,
      env,
    );
    adminToken = plein(['token:create', '--handle', 'admin'], ROOT, env).trim().split('\n').pop()!.trim();

    server = spawn(process.execPath, [PLEIN_BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
    for (const until = Date.now() + 90_000; base === '' && Date.now() < until;) {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(serverLog);
      if (match) base = `http://127.0.0.1:${match[1]}`;
      else if (server.exitCode !== null) throw new Error(`plein start exited with ${server.exitCode}:\n${serverLog}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (base === '') throw new Error(`plein start did not listen:\n${serverLog}`);

    // What the docs take as already there: a space `general` and a report in the moderation queue
    // (moderation.md decides the oldest one). `ada` is made by the README's block.
    const api = async (method: string, path: string, body: unknown, token = adminToken) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, unknown>;
    };
    await api('POST', '/api/v1/spaces', { slug: 'general', name: 'General', visibility: 'public', joinPolicy: 'open' });
    await api('POST', '/api/v1/users', {
      email: 'grace@example.com',
      handle: 'grace',
      displayName: 'Grace',
      password: PASSWORD,
    });
    const post = await api('POST', '/api/v1/microblog/posts', {
      body: 'The phone list of the whole floor',
      spaceId: 'general',
    });
    const graceToken = plein(['token:create', '--handle', 'grace'], ROOT, env).trim().split('\n').pop()!.trim();
    await api('POST', '/api/v1/spaces/general/join', {}, graceToken);
    await api('POST', '/api/v1/moderation/reports', { contentId: post.contentId, reason: 'confidential' }, graceToken);
  });

  it('runs every curl block against it', () => {
    expect(base).not.toBe('');
    const blocks = new Map<string, DocCommand[]>();
    for (const command of commands.filter((c) => c.http)) {
      const id = `${command.file}:${command.block}`;
      blocks.set(id, [...(blocks.get(id) ?? []), command]);
    }
    // getting-started.md first: it makes the space `lab` that spaces.md uses. The sort is stable.
    const first = (k: string) => (k.startsWith('docs/getting-started.md:') ? 0 : 1);
    const ordered = [...blocks.entries()].sort(([a], [b]) => first(a) - first(b));
    // curl fails on an HTTP error; `npx plein` is the checkout's CLI on the server's database.
    const curlPrelude = [
      'set -eE -o pipefail',
      'trap \'echo "docs-test: failed at $__docs_line" >&2; exit 1\' ERR',
      'curl() { command curl -sS --fail-with-body "$@"; }',
      'npx() { if [ "$1" = plein ]; then shift; node "$DOCS_TEST_PLEIN" "$@"; else command npx "$@"; fi; }',
    ].join('\n');
    const program = cliProgram();
    for (const [, block] of ordered) {
      for (const command of block)
        for (const words of command.words) {
          const args = pleinArgs(words);
          const parsed = args && checkPlein(program, args);
          if (parsed && 'problem' in parsed) problems.push(`${where(command)}: ${parsed.problem}\n    ${command.text}`);
        }
      if (block[0].skip) {
        for (const command of block) count(command, 'skipped');
        continue;
      }
      const script = [curlPrelude, ...block.map((c) => `__docs_line=${c.line}\n${substitute(c.text)}`)].join('\n');
      const result = runProcess('bash', ['-c', script], tmp, {
        ...serverEnv,
        DOCS_TEST_PLEIN: PLEIN_BIN,
        TOKEN: adminToken,
        ADMIN_TOKEN: adminToken,
        PLEIN: base,
      });
      const failedAt = /docs-test: failed at (\d+)/.exec(result.output);
      if (!result.ok) {
        const command = block.find((c) => String(c.line) === failedAt?.[1]) ?? block[0];
        problems.push(
          `${where(command)}: failed against a running Plein:\n${result.output}\n    ${command.text.split('\n').join('\n    ')}`,
        );
        for (const ran of block.slice(0, block.indexOf(command))) count(ran, 'run');
      } else for (const ran of block) count(ran, 'run');
    }

    function substitute(text: string): string {
      return text.replaceAll('http://localhost:3000', base).replaceAll('<token>', adminToken);
    }
  });

  it('has no command that failed or is unknown', () => {
    if (process.env.DOCS_TEST_LIST) process.stdout.write(`${outcomes.join('\n')}\n`);
    process.stdout.write(`docs commands: ${tally.run} run, ${tally.checked} checked, ${tally.skipped} skipped\n`);
    expect(problems).toEqual([]);
  });
});
