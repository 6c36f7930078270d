import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chainOf, installedThemes, themeChain, ThemeNotFoundError } from './themes';
import { coreHelperNames, ViewEngine } from './view-engine';

/** Writes `files` (path → text) under `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('themes with a parent', () => {
  let root: string;
  let wiki: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'plein-themes-'));
    write(join(root, 'themes', 'base'), {
      'package.json': '{"name":"@plein/theme-base"}',
      'layouts/main.hbs': '<base-layout>{{> banner}}{{{body}}}</base-layout>',
      'partials/banner.hbs': '<b>{{t "core.banner"}}</b>',
      'partials/footer.hbs': '<small>base footer</small>',
      'core/home.hbs': '<p>{{t "core.home.hello"}}</p>{{> footer}}',
      'core/login.hbs': '<p>base login</p>',
      'mail/layouts/text.hbs': '{{body}}',
      'public/base.css': 'body{}',
      'locales/en.json': JSON.stringify({
        'core.banner': 'Base banner',
        'core.home.hello': 'Hello',
        'theme.name': 'Base',
      }),
      'locales/nl.json': JSON.stringify({
        'core.banner': 'Basisbanier',
        'core.home.hello': 'Hallo',
        'theme.name': 'Basis',
      }),
    });
    write(join(root, 'themes', 'child'), {
      'package.json': JSON.stringify({ name: '@plein/theme-child', plein: { theme: { parent: 'base' } } }),
      'partials/banner.hbs': '<strong>{{t "core.banner"}}</strong>',
      'core/login.hbs': '<p>child login</p>',
      'plugins/wiki/page.hbs': '<p>child wiki page {{> wiki/box}}</p>',
      'public/child.css': 'a{}',
      'locales/en.json': JSON.stringify({ 'core.banner': 'Child banner' }),
      'locales/nl.json': JSON.stringify({ 'core.banner': 'Kindbanier' }),
    });
    write(join(root, 'themes', 'loop-a'), {
      'package.json': JSON.stringify({ plein: { theme: { parent: 'loop-b' } } }),
    });
    write(join(root, 'themes', 'loop-b'), {
      'package.json': JSON.stringify({ plein: { theme: { parent: 'loop-a' } } }),
    });
    write(join(root, 'themes', 'orphan'), {
      'package.json': JSON.stringify({ plein: { theme: { parent: 'nowhere' } } }),
    });
    wiki = join(root, 'wiki-views');
    write(wiki, { 'page.hbs': '<p>wiki page</p>', 'history.hbs': '<p>wiki history</p>', 'partials/box.hbs': '[box]' });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const engine = (name: string) => new ViewEngine(themeChain(name, root), new Map([['wiki', wiki]]));

  it('takes what a child theme lacks from its parent: layout, views, partials, messages, assets', () => {
    const views = engine('child');
    expect(views.theme.names).toEqual(['child', 'base']);
    const html = views.page('core/home', {}, { locale: 'nl' });
    // The parent's layout and view, the child's partial, the child's message in Dutch.
    expect(html).toBe('<base-layout><strong>Kindbanier</strong><p>Hallo</p><small>base footer</small></base-layout>');
    expect(views.render('core/login', {})).toBe('<p>child login</p>');
    expect(views.themeFile('public/child.css')).toBe(join(root, 'themes', 'child', 'public', 'child.css'));
    expect(views.themeFile('public/base.css')).toBe(join(root, 'themes', 'base', 'public', 'base.css'));
    expect(views.themeFile('mail/layouts/text.hbs')).toBe(join(root, 'themes', 'base', 'mail', 'layouts', 'text.hbs'));
    expect(views.themeFile('public/../package.json')).toBeNull();
    expect(views.themeFile('public/missing.css')).toBeNull();
  });

  it('registers the helpers plugins declare on every theme, their answer escaped like any value', () => {
    const helpers = new Map([['wiki', { 'wiki-shout': (text: string) => `${String(text).toUpperCase()}!` }]]);
    write(join(root, 'themes', 'child'), { 'plugins/wiki/shout.hbs': '<p>{{wiki-shout word}}</p>' });
    write(wiki, { 'shout.hbs': '<p>{{wiki-shout word}}</p>' });
    const views = new ViewEngine(themeChain('base', root), new Map([['wiki', wiki]]), { helpers });
    expect(views.render('wiki/shout', { word: 'a<b' })).toBe('<p>A&lt;B!</p>');
    views.use(themeChain('child', root));
    expect(views.render('wiki/shout', { word: 'hi' })).toBe('<p>HI!</p>');
    expect(() => engine('base').render('wiki/shout', { word: 'hi' })).toThrow(/wiki-shout/);
  });

  it("overrides a plugin's view from the child theme and keeps the plugin's other views and partials", () => {
    const views = engine('child');
    expect(views.render('wiki/page', {})).toBe('<p>child wiki page [box]</p>');
    expect(views.render('wiki/history', {})).toBe('<p>wiki history</p>');
  });

  it('switches theme for every later render, messages included, and back', () => {
    const views = engine('base');
    expect(views.page('core/login', {}, { locale: 'en' })).toBe(
      '<base-layout><b>Base banner</b><p>base login</p></base-layout>',
    );
    expect(views.use(themeChain('child', root))).toBe(true);
    expect(views.use(themeChain('child', root))).toBe(false);
    expect(views.page('core/login', {}, { locale: 'en' })).toBe(
      '<base-layout><strong>Child banner</strong><p>child login</p></base-layout>',
    );
    expect(views.i18n.t('en', 'core.home.hello')).toBe('Hello');
    expect(views.use(themeChain('base', root))).toBe(true);
    expect(views.i18n.t('en', 'core.banner')).toBe('Base banner');
    expect(views.render('core/login', {})).toBe('<p>base login</p>');
  });

  it('refuses a missing parent and a cycle, naming the themes', () => {
    expect(() => themeChain('orphan', root)).toThrow(ThemeNotFoundError);
    expect(() => themeChain('orphan', root)).toThrow(
      "Theme 'orphan': expected its parent theme 'nowhere' (themes/nowhere or @plein/theme-nowhere), found neither",
    );
    expect(() => chainOf(join(root, 'themes', 'loop-a'), root)).toThrow('found the cycle loop-a → loop-b → loop-a');
    expect(() => themeChain('absent', root)).toThrow(
      "Theme 'absent': expected themes/absent or the package @plein/theme-absent, found neither",
    );
  });

  it('lists the installed themes with their parents, the default first', () => {
    const names = installedThemes(root).map((t) => `${t.name}${t.parent ? `<${t.parent}` : ''}`);
    expect(names[0]).toBe('default');
    expect(names).toEqual(expect.arrayContaining(['base', 'child<base', 'high-contrast<default', 'orphan<nowhere']));
  });

  it("names every helper core registers, with Handlebars' own", () => {
    expect(coreHelperNames()).toEqual(
      expect.arrayContaining([
        't',
        'date',
        'isoDate',
        'number',
        'eq',
        'not',
        'and',
        'or',
        'includes',
        'concat',
        'encode',
        'json',
        'slot',
        'if',
        'unless',
        'each',
        'with',
        'lookup',
        'log',
      ]),
    );
    expect(coreHelperNames()).not.toContain('helperMissing');
  });
});
