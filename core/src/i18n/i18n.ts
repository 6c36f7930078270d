import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The language every catalogue must ship, and the last resort of every lookup. */
export const DEFAULT_LOCALE = 'en';

/** Values a message may interpolate: `{name}` is replaced, `count` also picks the plural form. */
export type MessageParams = Record<string, unknown>;

/** A catalogue file read flat: nested objects become dotted keys (`{"core":{"a":"x"}}` → `core.a`). */
export function readCatalogue(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Message catalogue ${file}: expected valid JSON, found ${(error as Error).message}`);
  }
  const flat = new Map<string, string>();
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'string') flat.set(prefix, value);
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else throw new Error(`Message catalogue ${file}: expected a string at '${prefix}', found ${JSON.stringify(value)}`);
  };
  walk(parsed, '');
  return flat;
}

/** Locale → file of every `<locale>.json` in a folder. */
export function catalogueFiles(dir: string): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  return new Map(
    readdirSync(dir)
      .filter((f) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?\.json$/.test(f))
      .map((f) => [f.replace(/\.json$/, ''), join(dir, f)]),
  );
}

/**
 * One translation mechanism for every string a person reads: message catalogues per theme
 * (`<theme>/locales/<locale>.json`, core's own pages under `core.*`) and per plugin (the manifest's
 * `locales` folder, keys namespaced by the plugin id). The theme's catalogue wins over a plugin's,
 * as a theme's view wins over the plugin's view. Plurals follow `Intl.PluralRules` through key
 * suffixes (`_zero`, `_one`, `_few`, `_many`, `_other`); dates and numbers follow `Intl`.
 */
export class I18n {
  /** Locales people can choose, the default first. */
  locales: string[];
  private messages = new Map<string, Map<string, string>>();
  /** Each plugin's catalogues, read once; a theme's are laid over them. */
  private readonly pluginCatalogues: Array<[string, Map<string, string>]> = [];
  private readonly plurals = new Map<string, Intl.PluralRules>();
  private readonly numbers = new Map<string, Intl.NumberFormat>();
  private readonly dates = new Map<string, Intl.DateTimeFormat>();

  /** `themeLocales`: the theme's `locales` folder, or the folders of a theme and its parents, nearest first. */
  constructor(themeLocales: string | readonly string[], pluginLocales: Map<string, string> = new Map()) {
    for (const [pluginId, dir] of pluginLocales) {
      for (const [locale, file] of catalogueFiles(dir)) {
        const catalogue = readCatalogue(file);
        for (const key of catalogue.keys()) {
          if (!key.startsWith(`${pluginId}.`)) {
            throw new Error(`Plugin '${pluginId}': expected message keys that start with '${pluginId}.', found '${key}' in ${file}`);
          }
        }
        this.pluginCatalogues.push([locale, catalogue]);
      }
    }
    this.locales = [DEFAULT_LOCALE];
    this.useThemeLocales(themeLocales);
  }

  /**
   * Lays a theme's catalogues over the plugins' (the active theme changed): the nearest theme's
   * message wins, a parent's fills what a child lacks.
   */
  useThemeLocales(themeLocales: string | readonly string[]): void {
    this.messages = new Map();
    for (const [locale, catalogue] of this.pluginCatalogues) this.merge(locale, catalogue);
    for (const dir of [themeLocales].flat().reverse()) {
      for (const [locale, file] of catalogueFiles(dir)) this.merge(locale, readCatalogue(file));
    }
    if (!this.messages.has(DEFAULT_LOCALE)) this.messages.set(DEFAULT_LOCALE, new Map());
    this.locales = [DEFAULT_LOCALE, ...[...this.messages.keys()].filter((l) => l !== DEFAULT_LOCALE).sort()];
  }

  private merge(locale: string, catalogue: Map<string, string>): void {
    const into = this.messages.get(locale) ?? this.messages.set(locale, new Map()).get(locale)!;
    for (const [k, v] of catalogue) into.set(k, v);
  }

  /** Whether `key` (or one of its plural forms) has a message in `locale` or the default. */
  has(key: string, locale = DEFAULT_LOCALE): boolean {
    return this.find(locale, key) !== undefined || this.find(locale, `${key}_other`) !== undefined;
  }

  private find(locale: string, key: string): string | undefined {
    return this.messages.get(locale)?.get(key) ?? this.messages.get(DEFAULT_LOCALE)?.get(key);
  }

  /**
   * The message for `key` in `locale` (falling back to the default locale), with `{name}`
   * placeholders filled from `params`. A key with no message comes back as it is, so a plain
   * sentence (a plugin's flash message, a label) passes through unchanged.
   */
  t(locale: string, key: string, params: MessageParams = {}): string {
    let message: string | undefined;
    const count = typeof params.count === 'number' ? params.count : typeof params.count === 'string' && params.count.trim() !== '' ? Number(params.count) : NaN;
    if (!Number.isNaN(count)) {
      const category = this.pluralRules(locale).select(count);
      message = (count === 0 ? this.find(locale, `${key}_zero`) : undefined) ?? this.find(locale, `${key}_${category}`) ?? this.find(locale, `${key}_other`);
    }
    message ??= this.find(locale, key);
    if (message === undefined) return key;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? this.display(locale, params[name]) : whole));
  }

  private display(locale: string, value: unknown): string {
    if (typeof value === 'number') return this.number(locale, value);
    if (value instanceof Date) return this.date(locale, value);
    return value === null || value === undefined ? '' : String(value);
  }

  /**
   * The locale to show: the user's choice when it is one we have, else the best match of the
   * browser's `Accept-Language`, else the default.
   */
  negotiate(chosen: string | null | undefined, acceptLanguage: string | string[] | undefined): string {
    if (chosen && this.locales.includes(chosen)) return chosen;
    const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : (acceptLanguage ?? '');
    const ranges = header
      .split(',')
      .map((part, index) => {
        const [tag, ...attrs] = part.trim().split(';');
        const q = attrs.map((a) => /^\s*q=([0-9.]+)\s*$/.exec(a)).find(Boolean);
        return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
      })
      .filter((r) => r.tag && r.q > 0 && !Number.isNaN(r.q))
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const { tag } of ranges) {
      if (tag === '*') return DEFAULT_LOCALE;
      const exact = this.locales.find((l) => l.toLowerCase() === tag);
      if (exact) return exact;
      const primary = this.locales.find((l) => l.toLowerCase() === tag.split('-')[0]);
      if (primary) return primary;
    }
    return DEFAULT_LOCALE;
  }

  /** Date and time in the locale's words, in UTC (the zone is shown). */
  date(locale: string, value: unknown): string {
    const d = value instanceof Date ? value : new Date(String(value));
    if (value === null || value === undefined || Number.isNaN(d.getTime())) return '';
    let format = this.dates.get(locale);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
      this.dates.set(locale, format);
    }
    return format.format(d);
  }

  number(locale: string, value: unknown): string {
    const n = typeof value === 'number' ? value : Number(value);
    if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '';
    let format = this.numbers.get(locale);
    if (!format) {
      format = new Intl.NumberFormat(locale);
      this.numbers.set(locale, format);
    }
    return format.format(n);
  }

  private pluralRules(locale: string): Intl.PluralRules {
    let rules = this.plurals.get(locale);
    if (!rules) {
      rules = new Intl.PluralRules(locale);
      this.plurals.set(locale, rules);
    }
    return rules;
  }
}
