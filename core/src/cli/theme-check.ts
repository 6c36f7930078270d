import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { METADATA } from '@plein/sdk';
import { coreControllers } from '../app/app-module';
import type { PleinConfig } from '../config/config';
import { catalogueFiles } from '../i18n/i18n';
import { discoverPlugins } from '../plugins/discovery';
import { chainOf, fileInChain, findTheme } from '../views/themes';
import { coreHelperNames, SLOTS } from '../views/view-engine';

export type Severity = 'error' | 'warning';

/**
 * The rules of `plein theme check`. Codes are stable: scripts and CI may match on them, and a
 * retired rule's code is never given to another.
 */
export const THEME_RULES = {
  T001: {
    name: 'missing-template',
    severity: 'error',
    summary: 'a template core renders is in neither the theme nor its parents',
  },
  T002: {
    name: 'unknown-partial',
    severity: 'error',
    summary: 'a template calls a partial that the theme, its parents and the enabled plugins do not declare',
  },
  T003: {
    name: 'unknown-helper',
    severity: 'error',
    summary: 'a template calls a helper that neither Handlebars, core nor an enabled plugin registers',
  },
  T004: {
    name: 'invalid-locale',
    severity: 'error',
    summary: 'a message catalogue is not JSON, or holds something other than text',
  },
  T005: {
    name: 'missing-locale-key',
    severity: 'warning',
    summary:
      "a message of the default theme's English catalogue is in neither the theme nor its parents (people see the key)",
  },
  T006: { name: 'invalid-template', severity: 'error', summary: 'a template is not valid Handlebars' },
  T007: {
    name: 'missing-parent',
    severity: 'error',
    summary: 'the parent theme named in package.json cannot be found, or the parents lead in a circle',
  },
  T008: { name: 'unknown-slot', severity: 'error', summary: 'a template renders a slot core does not have' },
  T009: {
    name: 'unknown-override',
    severity: 'warning',
    summary: 'a view that overrides nothing: no enabled plugin, or core, renders it (it is never used)',
  },
  T010: {
    name: 'unknown-locale-key',
    severity: 'warning',
    summary: "a core.* message that the default theme's English catalogue does not have (it is never read)",
  },
} as const satisfies Record<string, { name: string; severity: Severity; summary: string }>;

export type ThemeRuleCode = keyof typeof THEME_RULES;

export interface ThemeProblem {
  code: ThemeRuleCode;
  rule: string;
  severity: Severity;
  /** The file, relative to the current folder. */
  file: string;
  /** 1-based; 0 when the problem is about a whole file (or a file that is not there). */
  line: number;
  column: number;
  message: string;
}

export interface ThemeCheckReport {
  theme: string;
  dir: string;
  /** The parent themes, nearest first. */
  parents: string[];
  /** The plugins whose views and partials were taken into account. */
  plugins: string[];
  /** How many templates and catalogues were read. */
  checked: number;
  errors: number;
  warnings: number;
  problems: ThemeProblem[];
}

/** A plugin as the check sees it: its id and the folder of its views (partials in `partials/`). */
export interface CheckedPlugin {
  id: string;
  viewsDir: string | null;
  /** Helpers the plugin registers: the names of its manifest's `helpers`. */
  helpers?: string[];
}

export interface ThemeCheckOptions {
  /** The theme's folder. */
  dir: string;
  /** Where parent themes are looked for (the folder of plein.config.json). */
  root: string;
  plugins: CheckedPlugin[];
  /** Paths in the output are relative to this folder (default: the current one). */
  cwd?: string;
}

/** Views core renders outside a controller's `@Render`, and the e-mail it renders from the theme. */
const RENDERED_ELSEWHERE = [
  // core/src/http/problem.filter.ts: every error page outside /api.
  'core/error.hbs',
  // core/src/digests/mail-templates.ts and digest-mail.ts: the e-mail digest, both parts, in the mail layouts.
  'mail/layouts/html.hbs',
  'mail/layouts/text.hbs',
  'mail/digest.html.hbs',
  'mail/digest.text.hbs',
];

/** Every file a theme (with its parents) must hold: the layout, each view core's pages render, the error page and the mail. */
export function requiredTemplates(): string[] {
  const views = new Set<string>();
  for (const controller of coreControllers) {
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const method = (controller.prototype as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      const view = Reflect.getMetadata(METADATA.render, method) as string | undefined;
      if (view?.startsWith('core/')) views.add(`${view}.hbs`);
    }
  }
  return ['layouts/main.hbs', ...[...views].sort(), ...RENDERED_ELSEWHERE];
}

/** Every `.hbs` file under `dir`, as paths relative to it. */
function hbsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Partial names of a theme folder: `partials/forms/row.hbs` is `forms/row`. */
function themePartials(dir: string): string[] {
  return hbsUnder(join(dir, 'partials')).map((f) => f.replace(/\.hbs$/, ''));
}

/** The theme's name: `@plein/theme-<name>` in its package.json, else its folder's name. */
function themeName(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
    const match = typeof pkg.name === 'string' ? /^@plein\/theme-([a-z][a-z0-9-]*)$/.exec(pkg.name) : null;
    if (match) return match[1];
  } catch {
    // No package.json, or not JSON: the folder names it (and the parent check reports bad JSON).
  }
  return basename(dir);
}

type Node = hbs.AST.Node & Record<string, unknown>;

/** What one template uses: partials, helpers and slots, each with where. */
interface Usage {
  kind: 'partial' | 'helper' | 'slot';
  name: string;
  line: number;
  column: number;
}

const isSimpleId = (path: hbs.AST.PathExpression) =>
  path.parts.length === 1 &&
  path.depth === 0 &&
  !path.data &&
  !/^(this|\.)/.test(path.original) &&
  !path.original.includes('/');

/**
 * Walks a parsed template (Handlebars' own AST, never a regular expression) for the partials it
 * calls, the helpers it calls and the slots it renders. A helper is what Handlebars itself would
 * call as one: a simple name with parameters or a hash, or any subexpression; names bound by
 * `as |x|` block parameters are not helpers.
 */
function usagesOf(program: hbs.AST.Program): { usages: Usage[]; inlinePartials: Set<string> } {
  const usages: Usage[] = [];
  const inlinePartials = new Set<string>();
  const at = (node: hbs.AST.Node) => ({ line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1 });

  const visit = (value: unknown, blockParams: string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item, blockParams);
      return;
    }
    if (!value || typeof value !== 'object' || !('type' in value)) return;
    const node = value as Node;
    switch (node.type) {
      case 'MustacheStatement':
      case 'BlockStatement':
      case 'SubExpression': {
        const call = node as unknown as hbs.AST.MustacheStatement;
        const path = call.path as hbs.AST.PathExpression;
        const isCall = node.type === 'SubExpression' || call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
        if (path.type === 'PathExpression' && isCall && isSimpleId(path) && !blockParams.includes(path.parts[0])) {
          usages.push({ kind: 'helper', name: path.parts[0], ...at(path) });
          const first = call.params[0];
          if (path.parts[0] === 'slot' && first?.type === 'StringLiteral')
            usages.push({ kind: 'slot', name: (first as hbs.AST.StringLiteral).value, ...at(first) });
        }
        break;
      }
      case 'PartialStatement':
      case 'PartialBlockStatement': {
        const name = (node as unknown as hbs.AST.PartialStatement).name as
          hbs.AST.PathExpression | hbs.AST.SubExpression | hbs.AST.StringLiteral;
        if (name.type === 'PathExpression' && !name.data)
          usages.push({ kind: 'partial', name: name.original, ...at(name) });
        else if (name.type === 'StringLiteral') usages.push({ kind: 'partial', name: name.value, ...at(name) });
        break;
      }
      case 'DecoratorBlock': {
        const decorator = node as unknown as hbs.AST.DecoratorBlock;
        const first = decorator.params[0];
        if (decorator.path.original === 'inline' && first?.type === 'StringLiteral')
          inlinePartials.add((first as hbs.AST.StringLiteral).value);
        break;
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key === 'loc' || key === 'strip' || key === 'openStrip' || key === 'closeStrip' || key === 'inverseStrip')
        continue;
      const params =
        key === 'program' && node.type === 'BlockStatement'
          ? ((child as hbs.AST.Program | null)?.blockParams ?? [])
          : [];
      visit(child, params.length ? [...blockParams, ...params] : blockParams);
    }
  };
  visit(program, []);
  return { usages, inlinePartials };
}

/** 1-based line and column of a character offset. */
function lineOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

const PLURAL = /_(zero|one|two|few|many|other)$/;
const baseKey = (key: string) => key.replace(PLURAL, '');

/** A catalogue file read flat, or the problems that make it unusable. */
function readLocale(file: string): {
  keys: Map<string, string>;
  problems: Array<{ line: number; column: number; message: string }>;
} {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    return {
      keys: new Map(),
      problems: [
        {
          ...(position ? lineOf(text, Number(position[1])) : { line: 1, column: 1 }),
          message: `expected valid JSON, found: ${message}`,
        },
      ],
    };
  }
  const keys = new Map<string, string>();
  const problems: Array<{ line: number; column: number; message: string }> = [];
  const where = (key: string) => {
    const last = key.split('.').pop()!;
    const offset =
      text.indexOf(JSON.stringify(key)) >= 0 ? text.indexOf(JSON.stringify(key)) : text.indexOf(JSON.stringify(last));
    return offset >= 0 ? lineOf(text, offset) : { line: 1, column: 1 };
  };
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'string') keys.set(prefix, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else {
      problems.push({
        ...where(prefix),
        message: prefix
          ? `expected text at '${prefix}', found ${JSON.stringify(value)}`
          : `expected an object of messages, found ${JSON.stringify(value)}`,
      });
    }
  };
  walk(parsed, '');
  return { keys, problems };
}

/**
 * Checks a theme folder: the templates core renders are there (in the theme or a parent), every
 * partial and helper its templates use exists, its slots are core's, each view it overrides is one
 * a plugin or core renders, and its message catalogues are valid and complete against the default
 * theme's English.
 */
export function checkTheme(options: ThemeCheckOptions): ThemeCheckReport {
  const dir = resolve(options.dir);
  const cwd = options.cwd ?? process.cwd();
  const name = themeName(dir);
  const problems: ThemeProblem[] = [];
  const report = (
    code: ThemeRuleCode,
    file: string,
    where: { line: number; column: number } | null,
    message: string,
  ) => {
    const rule = THEME_RULES[code];
    problems.push({
      code,
      rule: rule.name,
      severity: rule.severity,
      file: relative(cwd, file) || '.',
      line: where?.line ?? 0,
      column: where?.column ?? 0,
      message,
    });
  };

  // The chain: the theme, then its parents.
  let dirs = [dir];
  let parents: string[] = [];
  try {
    const chain = chainOf(dir, options.root, name);
    dirs = chain.dirs;
    parents = chain.names.slice(1);
  } catch (error) {
    report('T007', join(dir, 'package.json'), null, (error as Error).message);
  }

  // T001: what core renders.
  for (const file of requiredTemplates()) {
    if (!fileInChain(dirs, file)) {
      report(
        'T001',
        join(dir, file),
        null,
        `Template '${file}': expected it in the theme ${name}${parents.length ? ` or its parent ${parents.join(', ')}` : ''} (core renders it), found none`,
      );
    }
  }

  // The templates of this theme, and what they may call.
  const plugins = new Map(options.plugins.map((p) => [p.id, p]));
  const partials = new Set([...dirs.flatMap(themePartials)]);
  for (const plugin of options.plugins) {
    if (plugin.viewsDir) for (const partial of themePartials(plugin.viewsDir)) partials.add(`${plugin.id}/${partial}`);
  }
  const helpers = new Set([...coreHelperNames(), ...options.plugins.flatMap((p) => p.helpers ?? [])]);
  const coreViews = new Set(requiredTemplates().filter((f) => f.startsWith('core/')));
  const templates = ['layouts', 'partials', 'core', 'plugins', 'mail'].flatMap((top) =>
    hbsUnder(join(dir, top)).map((f) => join(top, f)),
  );
  let checked = 0;
  for (const template of templates) {
    const file = join(dir, template);
    checked++;
    let program: hbs.AST.Program;
    try {
      program = Handlebars.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      const e = error as Error & { lineNumber?: number; column?: number };
      const line = e.lineNumber ?? Number(/on line (\d+)/.exec(e.message)?.[1] ?? 0);
      report(
        'T006',
        file,
        { line, column: e.column !== undefined ? e.column + 1 : 0 },
        `expected valid Handlebars, found: ${e.message.split('\n')[0]}${e.message.includes('\n') ? ` (${e.message.split('\n').slice(-1)[0]})` : ''}`,
      );
      continue;
    }
    const { usages, inlinePartials } = usagesOf(program);
    for (const use of usages) {
      if (use.kind === 'partial' && !partials.has(use.name) && !inlinePartials.has(use.name)) {
        report(
          'T002',
          file,
          use,
          `Partial '${use.name}': expected it in partials/ of the theme${parents.length ? ` or its parent ${parents.join(', ')}` : ''}, or among the enabled plugins' partials (<plugin>/<name>), found none`,
        );
      } else if (use.kind === 'helper' && !helpers.has(use.name)) {
        // A plugin's helpers are named `<pluginId>-…`: say so when no enabled plugin has that prefix.
        const hint =
          use.name.includes('-') && ![...plugins.keys()].some((id) => use.name.startsWith(`${id}-`))
            ? " (a plugin's helper is named '<pluginId>-<name>': is its plugin enabled?)"
            : '';
        report(
          'T003',
          file,
          use,
          `Helper '${use.name}': expected one of ${[...helpers].sort().join(', ')}, found none by that name${hint}`,
        );
      } else if (use.kind === 'slot' && !(SLOTS as readonly string[]).includes(use.name)) {
        report('T008', file, use, `Slot '${use.name}': expected one of ${SLOTS.join(', ')}, found none by that name`);
      }
    }
    // T009: an override of a view nobody renders.
    const parts = template.split('/');
    if (parts[0] === 'plugins') {
      const plugin = plugins.get(parts[1]);
      const view = parts.slice(2).join('/');
      if (!plugin)
        report(
          'T009',
          file,
          null,
          `Override '${parts[1]}/${view.replace(/\.hbs$/, '')}': expected a view of an enabled plugin, found no enabled plugin '${parts[1]}' (${[...plugins.keys()].join(', ') || 'none enabled'})`,
        );
      else if (!plugin.viewsDir || !existsSync(join(plugin.viewsDir, view)))
        report(
          'T009',
          file,
          null,
          `Override '${parts[1]}/${view.replace(/\.hbs$/, '')}': expected a view the plugin ${parts[1]} has, found none by that name in its views`,
        );
    } else if (parts[0] === 'core' && !coreViews.has(template)) {
      report(
        'T009',
        file,
        null,
        `View '${template.replace(/\.hbs$/, '')}': expected a view core renders, found none by that name (core renders ${[...coreViews].map((v) => v.replace(/\.hbs$/, '')).join(', ')})`,
      );
    }
  }

  // Message catalogues: valid, and complete against the default theme's English.
  let reference: Map<string, string> | null = null;
  try {
    const english = join(findTheme('default', options.root), 'locales', 'en.json');
    reference = existsSync(english) ? readLocale(english).keys : null;
  } catch {
    reference = null;
  }
  const localesDir = join(dir, 'locales');
  const own = catalogueFiles(localesDir);
  for (const entry of existsSync(localesDir) ? readdirSync(localesDir) : []) {
    if (
      entry.endsWith('.json') &&
      !own.has(entry.replace(/\.json$/, '')) &&
      statSync(join(localesDir, entry)).isFile()
    ) {
      report(
        'T004',
        join(localesDir, entry),
        null,
        `Catalogue '${entry}': expected a file named after a language tag (en.json, nl.json, pt-BR.json), found '${entry}'`,
      );
    }
  }
  const locales = new Set([...own.keys(), 'en']);
  for (const locale of locales) {
    const file = own.get(locale) ?? join(localesDir, `${locale}.json`);
    const keys = new Set<string>();
    let ownKeys = new Map<string, string>();
    if (own.has(locale)) {
      checked++;
      const read = readLocale(file);
      for (const p of read.problems) report('T004', file, p, p.message);
      ownKeys = read.keys;
    }
    for (const key of ownKeys.keys()) keys.add(baseKey(key));
    for (const parent of dirs.slice(1)) {
      const parentFile = join(parent, 'locales', `${locale}.json`);
      if (existsSync(parentFile)) for (const key of readLocale(parentFile).keys.keys()) keys.add(baseKey(key));
    }
    if (!reference) continue;
    const expected = new Set([...reference.keys()].map(baseKey));
    if (keys.size === 0 && !own.has(locale)) {
      report(
        'T005',
        file,
        null,
        `Catalogue '${locale}.json': expected the ${expected.size} messages of the default theme's English in the theme or its parent, found no ${locale}.json (people see message keys)`,
      );
      continue;
    }
    for (const key of [...expected].filter((k) => !keys.has(k)).sort()) {
      report(
        'T005',
        file,
        null,
        `Message '${key}': expected in ${locale}.json of the theme${parents.length ? ` or its parent ${parents.join(', ')}` : ''} (the default theme's English has it), found none`,
      );
    }
    const text = own.has(locale) ? readFileSync(file, 'utf8') : '';
    for (const key of [...ownKeys.keys()].filter((k) => k.startsWith('core.') && !expected.has(baseKey(k)))) {
      const offset = text.indexOf(JSON.stringify(key));
      report(
        'T010',
        file,
        offset >= 0 ? lineOf(text, offset) : null,
        `Message '${key}': expected a key the default theme's English has (core reads only those), found one it does not`,
      );
    }
  }

  problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
  return {
    theme: name,
    dir: relative(cwd, dir) || '.',
    parents,
    plugins: options.plugins.map((p) => p.id),
    checked,
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems,
  };
}

/** The report as people read it: one line per problem, `file:line:column`, then a summary. */
export function formatThemeReport(report: ThemeCheckReport): string {
  const lines = report.problems.map(
    (p) =>
      `${p.file}${p.line ? `:${p.line}:${p.column}` : ''}  ${p.severity.padEnd(7)}  ${p.code} ${p.rule}  ${p.message}`,
  );
  const about = `theme ${report.theme}${report.parents.length ? ` (parent ${report.parents.join(' → ')})` : ''}, ${report.checked} files checked, plugins: ${report.plugins.join(', ') || 'none'}`;
  const counts = `${report.errors} error${report.errors === 1 ? '' : 's'}, ${report.warnings} warning${report.warnings === 1 ? '' : 's'}`;
  lines.push(report.problems.length ? `${report.dir}: ${counts} — ${about}` : `${report.dir}: no problems — ${about}`);
  return lines.join('\n') + '\n';
}

/** `plein theme check <dir>`: prints the report and returns whether the theme has no errors. */
export async function runThemeCheck(config: PleinConfig, dir: string, json: boolean): Promise<boolean> {
  const plugins = discoverPlugins(config).map(({ definition, root }) => ({
    id: definition.id,
    viewsDir: definition.views ? resolve(root, definition.views) : null,
    helpers: Object.keys(definition.helpers ?? {}),
  }));
  const report = checkTheme({ dir, root: config.root, plugins });
  // Written out before the command exits: a long report into a pipe would otherwise be cut off.
  await new Promise<void>((done, fail) =>
    process.stdout.write(json ? JSON.stringify(report, null, 2) + '\n' : formatThemeReport(report), (error) =>
      error ? fail(error) : done(),
    ),
  );
  return report.errors === 0;
}
