import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { catalogueFiles, readCatalogue } from '../../core/src/i18n/i18n';

const ROOT = resolve(__dirname, '../..');
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every folder of `.hbs` files or `locales` below the package folders, skipping dependencies and builds. */
function walk(dir: string, keep: (path: string, isDir: boolean) => boolean, found: string[] = []): string[] {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (keep(path, entry.isDirectory())) found.push(path);
    if (entry.isDirectory()) walk(path, keep, found);
  }
  return found;
}

const PACKAGES = ['themes', 'plugins', 'examples'].flatMap((top) => (existsSync(join(ROOT, top)) ? readdirSync(join(ROOT, top), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(ROOT, top, e.name)) : []));

/** Catalogue folder → locale → keys. A package's catalogue is its `locales` folder. */
const catalogues = new Map(
  PACKAGES.filter((p) => existsSync(join(p, 'locales'))).map((p) => [
    relative(ROOT, join(p, 'locales')),
    new Map([...catalogueFiles(join(p, 'locales'))].map(([locale, file]) => [locale, readCatalogue(file)])),
  ]),
);

const base = (key: string) => key.replace(PLURAL, '');

describe('message catalogues', () => {
  it('ships English and Dutch in every catalogue (the theme and every plugin that has one)', () => {
    expect([...catalogues.keys()]).toEqual(expect.arrayContaining([join('themes', 'default', 'locales'), join('examples', 'kudos', 'locales')]));
    for (const [dir, locales] of catalogues) {
      // A folder with no catalogue yet has nothing to compare; one with any has both languages.
      if (locales.size) expect({ dir, locales: [...locales.keys()].sort() }).toEqual({ dir, locales: expect.arrayContaining(['en', 'nl']) });
    }
  });

  it('has every key in every language of the same catalogue', () => {
    const missing: string[] = [];
    for (const [dir, locales] of catalogues) {
      const all = new Set([...locales.values()].flatMap((c) => [...c.keys()].map(base)));
      for (const [locale, messages] of locales) {
        const here = new Set([...messages.keys()].map(base));
        for (const key of all) if (!here.has(key)) missing.push(`${dir}/${locale}.json: '${key}'`);
        // A plural key needs every form the language uses (Intl.PluralRules), `other` at least.
        const plurals = new Set([...messages.keys()].filter((k) => PLURAL.test(k)).map(base));
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const key of plurals) for (const c of categories) if (!messages.has(`${key}_${c}`)) missing.push(`${dir}/${locale}.json: '${key}_${c}' (plural form)`);
        for (const [key, message] of messages) if (!message.trim()) missing.push(`${dir}/${locale}.json: '${key}' is empty`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('uses the same {placeholders} in every language of a message', () => {
    const differ: string[] = [];
    const names = (m: string) => [...m.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort().join(',');
    for (const [dir, locales] of catalogues) {
      const en = locales.get('en')!;
      for (const [locale, messages] of locales) {
        for (const [key, message] of messages) {
          const english = en.get(key) ?? en.get(`${base(key)}_other`);
          if (english !== undefined && names(english).replace('count', '') !== names(message).replace('count', '')) differ.push(`${dir}/${locale}.json '${key}': {${names(message)}} but English has {${names(english)}}`);
        }
      }
    }
    expect(differ).toEqual([]);
  });

  it('has an entry for every {{t "…"}} a template uses', () => {
    const theme = catalogues.get(join('themes', 'default', 'locales'))!.get('en')!;
    const undefinedKeys: string[] = [];
    const templates = walk(ROOT, (path, isDir) => !isDir && path.endsWith('.hbs') && /^(themes|plugins|examples)\//.test(relative(ROOT, path)) && !relative(ROOT, path).includes('/templates/'));
    expect(templates.length).toBeGreaterThan(10);
    for (const file of templates) {
      const parts = relative(ROOT, file).split('/');
      const pkg = parts.slice(0, 2).join('/');
      const own = catalogues.get(join(pkg, 'locales'))?.get('en');
      // A theme's override of a plugin's view (themes/<theme>/plugins/<id>/…) uses that plugin's messages.
      const overridden = parts[0] === 'themes' && parts[2] === 'plugins' ? ['plugins', 'examples'].map((top) => catalogues.get(join(top, parts[3], 'locales'))?.get('en')) : [];
      const has = (key: string) => [theme, own, ...overridden].some((c) => c && (c.has(key) || c.has(`${key}_other`)));
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/[{(]\s*t\s+"([^"]+)"/g)) if (!has(m[1])) undefinedKeys.push(`${relative(ROOT, file)}: '${m[1]}'`);
    }
    expect(undefinedKeys).toEqual([]);
  });

  it("has an entry for every key core's pages and mails use in code", () => {
    const theme = catalogues.get(join('themes', 'default', 'locales'))!.get('en')!;
    const files = ['pages', 'views', 'http', 'auth', 'i18n'].flatMap((d) => walk(join(ROOT, 'core/src', d), (p, isDir) => !isDir && p.endsWith('.ts') && !p.endsWith('.spec.ts')));
    const patterns = [
      /\bt\(\s*[\w.]+,\s*'(core\.[^'`$]+)'/g,
      /flashRedirect\([^;]*?,\s*'(?:success|info|warning|error)',\s*'([^']+)'/g,
      /formError\([^;]*?'(core\.[^']+)'/g,
      /key: '(core\.[^']+)'/g,
      /\[\/[^\n]*?\/, '(core\.[^']+)'/g,
    ];
    const missing: string[] = [];
    let seen = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns) {
        for (const m of text.matchAll(pattern)) {
          seen++;
          if (!theme.has(m[1]) && !theme.has(`${m[1]}_other`)) missing.push(`${relative(ROOT, file)}: '${m[1]}'`);
        }
      }
    }
    expect(seen).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
