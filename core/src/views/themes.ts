import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** A theme as core renders it: its folder, then its parent's, and so on (nearest first). */
export interface ThemeChain {
  name: string;
  /** `dirs[0]` is the theme itself; a file not found there is looked for in the next. */
  dirs: string[];
  /** The names along the chain, nearest first (`['high-contrast', 'default']`). */
  names: string[];
}

/** An installed theme, as the admin page lists it. */
export interface InstalledTheme {
  name: string;
  dir: string;
  parent: string | null;
}

/** A theme (or its parent) cannot be found or read. The message names the theme, what was expected and what was found. */
export class ThemeNotFoundError extends Error {}

const THEME_PACKAGE = /^@plein\/theme-([a-z][a-z0-9-]*)$/;
const THEME_NAME = /^[a-z][a-z0-9-]*$/;
/** The Plein checkout core runs from (its `themes/` folder ships the default theme). */
const CHECKOUT_THEMES = resolve(__dirname, '../../../themes');

/** Whether a folder looks like a theme: it has a layout folder or a package.json. */
function isThemeDir(dir: string): boolean {
  return existsSync(join(dir, 'layouts')) || existsSync(join(dir, 'package.json'));
}

/**
 * The parent a theme names in its package.json (`"plein": { "theme": { "parent": "default" } }`),
 * or null. A theme with a parent holds only what it changes; every other template, partial,
 * message and asset comes from the parent.
 */
export function parentOf(dir: string): string | null {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return null;
  let pkg: { plein?: { theme?: { parent?: unknown } } };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
  } catch (error) {
    throw new ThemeNotFoundError(`Theme at ${dir}: expected a valid package.json, found ${(error as Error).message}`);
  }
  const parent = pkg.plein?.theme?.parent;
  if (parent === undefined || parent === null) return null;
  if (typeof parent !== 'string' || !THEME_NAME.test(parent)) {
    throw new ThemeNotFoundError(`Theme at ${dir}: expected plein.theme.parent to be a theme name (lower case letters, digits, dashes), found ${JSON.stringify(parent)}`);
  }
  return parent;
}

/**
 * The folder of the theme `name`, the first of: `themes/<name>` next to the configuration,
 * `themes/<name>` of the checkout core runs from, the installed package `@plein/theme-<name>`.
 */
export function findTheme(name: string, root: string): string {
  if (THEME_NAME.test(name)) {
    for (const candidate of [join(root, 'themes', name), join(CHECKOUT_THEMES, name)]) {
      if (isThemeDir(candidate)) return candidate;
    }
    try {
      return dirname(require.resolve(`@plein/theme-${name}/package.json`, { paths: [root, __dirname] }));
    } catch {
      // Reported below.
    }
  }
  throw new ThemeNotFoundError(`Theme '${name}': expected themes/${name} or the package @plein/theme-${name}, found neither`);
}

/** The theme in `dir` and its parents, nearest first; a missing parent or a cycle is an error naming both themes. */
export function chainOf(dir: string, root: string, name = basename(dir)): ThemeChain {
  const chain: ThemeChain = { name, dirs: [dir], names: [name] };
  let parent = parentOf(dir);
  while (parent) {
    const child = chain.names[chain.names.length - 1];
    if (chain.names.includes(parent)) {
      throw new ThemeNotFoundError(`Theme '${child}': expected a parent that does not lead back to it, found the cycle ${[...chain.names, parent].join(' → ')}`);
    }
    let parentDir: string;
    try {
      parentDir = findTheme(parent, root);
    } catch {
      throw new ThemeNotFoundError(`Theme '${child}': expected its parent theme '${parent}' (themes/${parent} or @plein/theme-${parent}), found neither`);
    }
    chain.dirs.push(parentDir);
    chain.names.push(parent);
    parent = parentOf(parentDir);
  }
  return chain;
}

/** The theme `name` with its parents, nearest first. */
export function themeChain(name: string, root: string): ThemeChain {
  return chainOf(findTheme(name, root), root, name);
}

/**
 * Every theme core can find, by name, in the order {@link findTheme} prefers them: folders under
 * `themes/` next to the configuration, then the checkout's, then `@plein/theme-*` packages.
 */
export function installedThemes(root: string): InstalledTheme[] {
  const found = new Map<string, string>();
  for (const top of [join(root, 'themes'), CHECKOUT_THEMES]) {
    if (!existsSync(top)) continue;
    for (const entry of readdirSync(top, { withFileTypes: true })) {
      const dir = join(top, entry.name);
      if (entry.isDirectory() && THEME_NAME.test(entry.name) && !found.has(entry.name) && isThemeDir(dir)) found.set(entry.name, dir);
    }
  }
  const scope = join(root, 'node_modules', '@plein');
  if (existsSync(scope)) {
    for (const entry of readdirSync(scope)) {
      const name = THEME_PACKAGE.exec(`@plein/${entry}`)?.[1];
      if (name && !found.has(name)) found.set(name, join(scope, entry));
    }
  }
  return [...found]
    .map(([name, dir]) => {
      try {
        return { name, dir, parent: parentOf(dir) };
      } catch {
        return null;
      }
    })
    .filter((t): t is InstalledTheme => t !== null)
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/**
 * The first folder of the chain that holds `file`, or null. `file` is a relative path inside a
 * theme (`public/plein.css`); one with `..`, an empty segment or a leading slash finds nothing.
 */
export function fileInChain(dirs: readonly string[], file: string): string | null {
  if (!file || file.split(/[\\/]/).some((part) => part === '..' || part === '' || part === '.')) return null;
  for (const dir of dirs) {
    const path = join(dir, file);
    if (!path.startsWith(join(dir, sep))) continue;
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) return path;
  }
  return null;
}
