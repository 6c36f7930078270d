import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PLUGIN_ID_PATTERN } from '@plein/sdk';

/**
 * The plugin template, shipped with @plein/core (package.json `files` lists `templates`). The same
 * path holds from core/src/cli (ts-jest) and core/dist/cli (the built CLI).
 */
export const PLUGIN_TEMPLATE_DIR = resolve(__dirname, '../../templates/plugin');

/** The spellings of a plugin id that the template's placeholders stand for. */
export interface PluginNames {
  /** `__name__`: the id, `team-news`. */
  name: string;
  /** `__Name__`: class names, `TeamNews`. */
  Name: string;
  /** `__nameCamel__`: variable names, `teamNews`. */
  nameCamel: string;
  /** `__name_snake__`: the table prefix without its trailing underscore, `team_news`. */
  name_snake: string;
  /** `__Title__`: what people read, `Team news`. */
  Title: string;
}

export function pluginNames(id: string): PluginNames {
  const words = id.split('-').filter(Boolean);
  const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const Name = words.map(capitalise).join('');
  return {
    name: id,
    Name,
    nameCamel: Name.charAt(0).toLowerCase() + Name.slice(1),
    name_snake: id.replace(/-/g, '_'),
    Title: capitalise(words.join(' ')),
  };
}

/**
 * `workspace`: the folder is a workspace of a Plein checkout (two levels under its root, like
 * plugins/forum), so it extends the root tsconfig.json, references ../../sdk and runs its tests with
 * the root Jest configuration. `standalone`: a package of its own, with everything inlined.
 */
export type PluginLayout = { kind: 'workspace'; root: string } | { kind: 'standalone' };

/** The nearest folder at or above `dir` whose package.json declares `workspaces`. */
function workspaceRootAbove(dir: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const manifest = join(current, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { workspaces?: unknown }).workspaces) return current;
      } catch {
        // A package.json that does not parse declares nothing; keep walking up.
      }
    }
    if (dirname(current) === current) return undefined;
  }
}

export function detectLayout(target: string): PluginLayout {
  const root = workspaceRootAbove(dirname(target));
  // What the workspace files point at must exist: the root tsconfig.json and the SDK's project.
  const isPleinCheckout =
    root !== undefined && existsSync(join(root, 'tsconfig.json')) && existsSync(join(root, 'sdk', 'tsconfig.json'));
  if (isPleinCheckout && relative(root, target).split(sep).length === 2) return { kind: 'workspace', root };
  return { kind: 'standalone' };
}

const PLACEHOLDER = /__(name|Name|nameCamel|name_snake|Title)__/g;

function fill(text: string, names: PluginNames): string {
  return text.replace(PLACEHOLDER, (_match, key: keyof PluginNames) => names[key]);
}

function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return entry.isDirectory() ? templateFiles(join(dir, entry.name), path) : [path];
    });
}

/**
 * Where a template file goes, or null when it belongs to the other layout:
 * `src/__name__.plugin.ts.tpl` → `src/polls.plugin.ts`; `tsconfig.json.workspace.tpl` →
 * `tsconfig.json` in a workspace and nothing standalone.
 */
function outputPath(templatePath: string, layout: PluginLayout, names: PluginNames): string | null {
  const variant = /\.(workspace|standalone)\.tpl$/.exec(templatePath);
  if (variant && variant[1] !== layout.kind) return null;
  return fill(templatePath.replace(/(\.(workspace|standalone))?\.tpl$/, ''), names);
}

function refuseUnlessEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory())
    throw new Error(`create-plugin: expected an empty or missing folder at ${dir}, found a file`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', …' : '');
  throw new Error(
    `create-plugin: expected an empty or missing folder at ${dir}, found ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${shown})`,
  );
}

export interface CreatedPlugin {
  /** Absolute path of the new plugin's folder. */
  dir: string;
  packageName: string;
  layout: PluginLayout;
  /** The files written, relative to `dir`, `/`-separated. */
  files: string[];
}

/**
 * Writes a plugin from the template into `dir` (default `plugins/<id>`, relative to `cwd`), which
 * must be empty or missing.
 */
export function createPlugin(id: string, dir?: string, cwd: string = process.cwd()): CreatedPlugin {
  if (!PLUGIN_ID_PATTERN.test(id))
    throw new Error(`create-plugin: expected a plugin id matching ${PLUGIN_ID_PATTERN.source}, found '${id}'`);
  const target = resolve(cwd, dir ?? join('plugins', id));
  refuseUnlessEmpty(target);
  const layout = detectLayout(target);
  const names = pluginNames(id);
  // Everything is rendered before anything is written, so a broken template leaves no half plugin.
  const outputs = templateFiles(PLUGIN_TEMPLATE_DIR).flatMap((path) => {
    const to = outputPath(path, layout, names);
    return to === null ? [] : [{ to, text: fill(readFileSync(join(PLUGIN_TEMPLATE_DIR, path), 'utf8'), names) }];
  });
  for (const { to, text } of outputs) {
    const file = join(target, ...to.split('/'));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return { dir: target, packageName: `@plein/plugin-${id}`, layout, files: outputs.map((o) => o.to) };
}

/** `a/b` relative to `from` when it is below it, absolute otherwise. */
function shown(path: string, from: string): string {
  const rel = relative(from, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
}

/** Whether npm will link `dir` as a workspace of `root` (an entry `plugins/*` or `plugins/polls`). */
function isListedWorkspace(root: string, dir: string): boolean {
  const rel = relative(root, dir).split(sep).join('/');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[] | { packages?: string[] };
  };
  const patterns = Array.isArray(manifest.workspaces) ? manifest.workspaces : (manifest.workspaces?.packages ?? []);
  return patterns.some((p) => p === rel || (p.endsWith('/*') && p.slice(0, -2) === rel.split('/')[0]));
}

/** Commands in a column, each with why it is there. */
function steps(rows: Array<[command: string, why: string]>): string[] {
  const width = Math.max(...rows.map(([command]) => command.length)) + 3;
  return rows.map(([command, why]) => `  ${command.padEnd(width)}${why}`.trimEnd());
}

export function nextSteps(created: CreatedPlugin, cwd: string = process.cwd()): string {
  const { dir, packageName, layout } = created;
  const lines = [`Created ${packageName} in ${shown(dir, cwd)} (${created.files.length} files).`, ''];
  if (layout.kind === 'workspace') {
    const rel = shown(dir, layout.root);
    lines.push(
      resolve(cwd) === layout.root ? 'Next steps:' : `Next steps, from ${layout.root}:`,
      ...steps([
        ['npm install', 'link the new workspace into node_modules'],
        [`npm run build -w ${packageName}`, `compile it to ${rel}/dist`],
        [`npx jest ${rel}`, 'run its test: a real Plein with the plugin, on a fresh database'],
      ]),
      `  enable it: add "${packageName}" to "plugins" in plein.config.json, then restart Plein`,
      '',
      `For \`npm run build\` to build it with the rest, add { "path": "${rel}" } to "references" in tsconfig.json.`,
    );
    if (!isListedWorkspace(layout.root, dir)) {
      lines.push(
        `${rel} is not matched by "workspaces" in package.json: add it there, or npm install will not link it.`,
      );
    }
  } else {
    lines.push(
      'Next steps:',
      ...steps([
        [`cd ${shown(dir, cwd)}`, ''],
        ['npm install', 'install @plein/sdk, @plein/core (for the test) and the build tools'],
        ['npm run build', 'compile it to dist'],
        ['npm test', 'run its test: a real Plein with the plugin, on a fresh database'],
      ]),
      `  enable it: install the package where Plein runs, add "${packageName}" to "plugins" in`,
      '  plein.config.json, then restart Plein',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** `plein create-plugin <name> [--dir DIR]` */
export async function runCreatePlugin(name: string, dir?: string): Promise<void> {
  const created = createPlugin(name, dir);
  process.stdout.write(nextSteps(created));
}
