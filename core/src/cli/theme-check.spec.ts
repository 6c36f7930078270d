import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkTheme, formatThemeReport, requiredTemplates, THEME_RULES, type ThemeCheckReport } from './theme-check';

const REPO = join(__dirname, '../../..');
const FIXTURES = join(REPO, 'tests/fixtures/themes');
/** The view folders of the plugins the repository's plein.config.json enables. */
const PLUGINS = [
  { id: 'kudos', viewsDir: join(REPO, 'examples/kudos/views') },
  { id: 'wiki', viewsDir: join(REPO, 'plugins/wiki/views') },
  { id: 'microblog', viewsDir: join(REPO, 'plugins/microblog/views') },
  { id: 'forum', viewsDir: join(REPO, 'plugins/forum/views') },
  { id: 'moderation', viewsDir: join(REPO, 'plugins/moderation/views') },
];

const check = (dir: string): ThemeCheckReport => checkTheme({ dir, root: REPO, plugins: PLUGINS, cwd: REPO });
/** `code file:line:column` of each problem, for compact assertions. */
const found = (report: ThemeCheckReport) =>
  report.problems.map((p) => `${p.code} ${p.file}${p.line ? `:${p.line}:${p.column}` : ''}`);

describe('plein theme check', () => {
  it('finds no problem in the shipped themes', () => {
    for (const theme of ['default', 'high-contrast']) {
      const report = check(join(REPO, 'themes', theme));
      expect({ theme, problems: report.problems }).toEqual({ theme, problems: [] });
      expect(report.checked).toBeGreaterThan(3);
    }
    expect(check(join(REPO, 'themes/high-contrast')).parents).toEqual(['default']);
  });

  it("requires every view core's controllers render, the error page, the layout and the digest mail", () => {
    const required = requiredTemplates();
    expect(required).toEqual(
      expect.arrayContaining([
        'layouts/main.hbs',
        'core/login.hbs',
        'core/admin/plugins.hbs',
        'core/error.hbs',
        'mail/digest.html.hbs',
        'mail/layouts/text.hbs',
      ]),
    );
    // The default theme has each core view, and no core view that nothing renders.
    const defaultViews = readdirSync(join(REPO, 'themes/default/core'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(join(REPO, 'themes/default'), join(e.parentPath, e.name)));
    expect(defaultViews.sort()).toEqual(required.filter((f) => f.startsWith('core/')).sort());
  });

  it('T001: names each template core renders that neither the theme nor a parent has', () => {
    const report = check(join(FIXTURES, 'bare'));
    expect(found(report)).toEqual(
      expect.arrayContaining([
        'T001 tests/fixtures/themes/bare/core/login.hbs',
        'T001 tests/fixtures/themes/bare/core/error.hbs',
        'T001 tests/fixtures/themes/bare/mail/digest.text.hbs',
      ]),
    );
    expect(found(report)).not.toContain('T001 tests/fixtures/themes/bare/layouts/main.hbs');
    expect(report.problems.find((p) => p.file.endsWith('core/login.hbs'))).toMatchObject({
      rule: 'missing-template',
      severity: 'error',
      message: "Template 'core/login.hbs': expected it in the theme bare (core renders it), found none",
    });
  });

  it('T002, T003, T006, T008: partials, helpers and slots that do not exist, and templates that do not parse, with their line', () => {
    const report = check(join(FIXTURES, 'broken-templates'));
    const dir = 'tests/fixtures/themes/broken-templates';
    expect(found(report)).toEqual(
      expect.arrayContaining([
        `T006 ${dir}/core/login.hbs:3:6`,
        `T002 ${dir}/layouts/main.hbs:5:7`,
        `T003 ${dir}/layouts/main.hbs:7:8`,
        `T008 ${dir}/layouts/main.hbs:8:10`,
        `T002 ${dir}/plugins/wiki/page.hbs:4:5`,
      ]),
    );
    const message = (code: string) => report.problems.filter((p) => p.code === code).map((p) => p.message);
    expect(message('T002')).toEqual(
      expect.arrayContaining([
        expect.stringContaining("Partial 'sidebar': expected it in partials/ of the theme or its parent default"),
        expect.stringContaining("Partial 'wiki/missing-partial'"),
      ]),
    );
    expect(message('T003')).toEqual([
      expect.stringMatching(
        /^Helper 'shout': expected one of and, concat, date, each, encode, eq, if, .*t, unless, with, found none by that name$/,
      ),
    ]);
    expect(message('T006')).toEqual([
      expect.stringContaining("expected valid Handlebars, found: if doesn't match each"),
    ]);
    expect(message('T008')).toEqual([
      "Slot 'page.sidebar': expected one of content.actions, content.footer, nav.user, admin.menu, found none by that name",
    ]);
  });

  it('reads templates as Handlebars does: inline partials, block parameters, subexpressions and dynamic partials are no problem', () => {
    const report = check(join(FIXTURES, 'broken-templates'));
    // partials/fine.hbs calls {{> row}} (inline), {{item 1}} (a block parameter), (t …), {{> (lookup …)}} and {{#> content}}.
    expect(report.problems.filter((p) => p.file.endsWith('partials/fine.hbs'))).toEqual([]);
    // The layout's {{> nav}} comes from the parent, {{slot "nav.user"}} is core's; wiki/tree and wiki/header are the wiki's.
    expect(report.problems.map((p) => p.message).join('\n')).not.toMatch(
      /'nav'|'nav\.user'|'wiki\/tree'|'wiki\/header'/,
    );
  });

  it('T002, T003: counts the helpers and partials an enabled plugin declares, and only while it is enabled', () => {
    const dir = join(FIXTURES, 'uses-plugin-helper');
    const badges = {
      id: 'badges',
      viewsDir: join(REPO, 'tests/fixtures/helper-plugin/views'),
      helpers: ['badges-count'],
    };
    expect(checkTheme({ dir, root: REPO, plugins: [...PLUGINS, badges], cwd: REPO }).problems).toEqual([]);
    const without = check(dir);
    expect(found(without)).toEqual([
      `T003 tests/fixtures/themes/uses-plugin-helper/partials/member-card.hbs:3:5`,
      `T002 tests/fixtures/themes/uses-plugin-helper/partials/member-card.hbs:4:7`,
    ]);
    expect(without.problems[0].message).toMatch(
      /^Helper 'badges-count': expected one of .*, found none by that name \(a plugin's helper is named '<pluginId>-<name>': is its plugin enabled\?\)$/,
    );
    // The plugin enabled, but without declaring its helper: the helper is unknown, its partial is not.
    expect(
      found(checkTheme({ dir, root: REPO, plugins: [...PLUGINS, { ...badges, helpers: [] }], cwd: REPO })),
    ).toEqual([`T003 tests/fixtures/themes/uses-plugin-helper/partials/member-card.hbs:3:5`]);
  });

  it('T009: warns of overrides nothing renders', () => {
    const report = check(join(FIXTURES, 'broken-templates'));
    const dir = 'tests/fixtures/themes/broken-templates';
    const overrides = report.problems.filter((p) => p.code === 'T009');
    expect(overrides.map((p) => [p.file, p.severity])).toEqual([
      [`${dir}/core/old-page.hbs`, 'warning'],
      [`${dir}/plugins/nowhere/list.hbs`, 'warning'],
      [`${dir}/plugins/wiki/nope.hbs`, 'warning'],
    ]);
    expect(overrides[1].message).toBe(
      "Override 'nowhere/list': expected a view of an enabled plugin, found no enabled plugin 'nowhere' (kudos, wiki, microblog, forum, moderation)",
    );
    expect(overrides[2].message).toBe(
      "Override 'wiki/nope': expected a view the plugin wiki has, found none by that name in its views",
    );
    // The theme's wiki/page.hbs overrides a real view: no warning for it.
    expect(report.problems.some((p) => p.code === 'T009' && p.file.endsWith('wiki/page.hbs'))).toBe(false);
  });

  it('T004, T005, T010: catalogues that are not JSON or not text, messages missing against the default English, keys nobody reads', () => {
    const report = check(join(FIXTURES, 'broken-locales'));
    const dir = 'tests/fixtures/themes/broken-locales/locales';
    expect(found(report)).toEqual(
      expect.arrayContaining([
        `T004 ${dir}/en.json:3:33`,
        `T004 ${dir}/nl.json:4:20`,
        `T004 ${dir}/english.json`,
        `T010 ${dir}/nl.json:3:3`,
      ]),
    );
    const nl = report.problems.find((p) => p.file === `${dir}/nl.json` && p.code === 'T004')!;
    expect(nl.message).toBe("expected text at 'core.spaces.members', found 3");
    expect(report.problems.find((p) => p.code === 'T010')!.message).toBe(
      "Message 'core.nav.sigOut': expected a key the default theme's English has (core reads only those), found one it does not",
    );
    // German: the theme has one message, the parent none: every other one is reported, as a warning.
    const german = report.problems.filter((p) => p.code === 'T005' && p.file === `${dir}/de.json`);
    expect(german.length).toBeGreaterThan(100);
    expect(german.every((p) => p.severity === 'warning')).toBe(true);
    expect(german.map((p) => p.message)).toContain(
      "Message 'core.nav.signOut': expected in de.json of the theme or its parent default (the default theme's English has it), found none",
    );
    expect(german.map((p) => p.message).join('\n')).not.toContain("'core.nav.signIn'");
    // English and Dutch come complete from the parent, whatever the child's files hold.
    expect(report.problems.filter((p) => p.code === 'T005' && !p.file.endsWith('de.json'))).toEqual([]);
    expect(
      check(join(FIXTURES, 'bare'))
        .problems.filter((p) => p.code === 'T005')
        .map((p) => p.message),
    ).toEqual([
      expect.stringMatching(
        /^Catalogue 'en.json': expected the \d+ messages of the default theme's English in the theme or its parent, found no en.json/,
      ),
    ]);
  });

  it('T007: a parent that cannot be found', () => {
    const report = check(join(FIXTURES, 'orphan'));
    expect(report.problems.filter((p) => p.code === 'T007')).toEqual([
      expect.objectContaining({
        file: 'tests/fixtures/themes/orphan/package.json',
        severity: 'error',
        message:
          "Theme 'orphan': expected its parent theme 'nowhere' (themes/nowhere or @plein/theme-nowhere), found neither",
      }),
    ]);
  });

  it('has a fixture for every rule, and stable codes', () => {
    const codes = new Set(
      ['bare', 'broken-templates', 'broken-locales', 'orphan'].flatMap((f) =>
        check(join(FIXTURES, f)).problems.map((p) => p.code),
      ),
    );
    expect([...codes].sort()).toEqual(Object.keys(THEME_RULES).sort());
    expect(Object.entries(THEME_RULES).map(([code, r]) => `${code} ${r.name}`)).toEqual([
      'T001 missing-template',
      'T002 unknown-partial',
      'T003 unknown-helper',
      'T004 invalid-locale',
      'T005 missing-locale-key',
      'T006 invalid-template',
      'T007 missing-parent',
      'T008 unknown-slot',
      'T009 unknown-override',
      'T010 unknown-locale-key',
    ]);
  });

  it('prints one line per problem with file, line and rule, then a summary', () => {
    const text = formatThemeReport(check(join(FIXTURES, 'broken-templates')));
    expect(text).toContain(
      "tests/fixtures/themes/broken-templates/layouts/main.hbs:5:7  error    T002 unknown-partial  Partial 'sidebar'",
    );
    expect(text.trim().split('\n').pop()).toMatch(
      /^tests\/fixtures\/themes\/broken-templates: 5 errors, 3 warnings — theme broken-templates \(parent default\), \d+ files checked, plugins: kudos, wiki, microblog, forum, moderation$/,
    );
    expect(formatThemeReport(check(join(REPO, 'themes/high-contrast')))).toMatch(
      /^themes\/high-contrast: no problems — theme high-contrast \(parent default\)/,
    );
  });
});
