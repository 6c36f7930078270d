import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { Views, type TemplateHelper } from '@plein/sdk';
import { DEFAULT_LOCALE, I18n } from '../i18n/i18n';
import { fileInChain, type ThemeChain } from './themes';

type Template = Handlebars.TemplateDelegate;

function hbsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => join(e.parentPath, e.name));
}

/** Named places in layouts and shared partials that plugins fill (DESIGN.md §4). */
export const SLOTS = ['content.actions', 'content.footer', 'nav.user', 'admin.menu'] as const;

export interface ViewEngineOptions {
  /** Plugin id → folder of its message catalogues (the manifest's `locales`). */
  locales?: Map<string, string>;
  /** Whether a plugin is on; a disabled plugin's slot partials are not rendered. */
  isActive?: (pluginId: string) => boolean;
  /** Plugin id → the Handlebars helpers it declares (the manifest's `helpers`), on every theme. */
  helpers?: Map<string, Readonly<Record<string, TemplateHelper>>>;
}

export interface SlotFiller {
  pluginId: string;
  template: Template;
}

const localeOf = (options: Handlebars.HelperOptions | undefined): string => {
  const root = (options?.data as { root?: { locale?: unknown } } | undefined)?.root;
  return typeof root?.locale === 'string' ? root.locale : DEFAULT_LOCALE;
};

/** One theme's Handlebars instance: its partials (the theme's over its parents'), the plugins' partials and slot fillers, compiled views. */
class ThemeTemplates {
  readonly hbs = Handlebars.create();
  readonly cache = new Map<string, Template>();
  readonly slots = new Map<string, SlotFiller[]>();

  constructor(
    readonly chain: ThemeChain,
    pluginViews: Map<string, string>,
    registerHelpers: (hbs: typeof Handlebars, slots: Map<string, SlotFiller[]>) => void,
    pluginHelpers: Map<string, Readonly<Record<string, TemplateHelper>>> = new Map(),
  ) {
    registerHelpers(this.hbs, this.slots);
    // Named `<pluginId>-…` (checked at boot), so they never replace core's or another plugin's.
    for (const helpers of pluginHelpers.values()) {
      for (const [name, helper] of Object.entries(helpers))
        this.hbs.registerHelper(name, helper as Handlebars.HelperDelegate);
    }
    // Farthest parent first, so that a partial of the same name in a nearer theme replaces it.
    for (const dir of [...chain.dirs].reverse()) {
      for (const file of hbsFiles(join(dir, 'partials'))) {
        this.hbs.registerPartial(
          relative(join(dir, 'partials'), file).replace(/\.hbs$/, ''),
          readFileSync(file, 'utf8'),
        );
      }
    }
    for (const [pluginId, dir] of pluginViews) {
      for (const file of hbsFiles(join(dir, 'partials'))) {
        this.hbs.registerPartial(
          `${pluginId}/${relative(join(dir, 'partials'), file).replace(/\.hbs$/, '')}`,
          readFileSync(file, 'utf8'),
        );
      }
      for (const file of hbsFiles(join(dir, 'slots'))) {
        const slot = basename(file, '.hbs');
        if (!(SLOTS as readonly string[]).includes(slot)) {
          throw new Error(
            `Plugin '${pluginId}': expected slot partials named after a slot (${SLOTS.join(', ')}), found ${relative(dir, file)}`,
          );
        }
        const fillers = this.slots.get(slot) ?? this.slots.set(slot, []).get(slot)!;
        fillers.push({ pluginId, template: this.hbs.compile(readFileSync(file, 'utf8'), { preventIndent: true }) });
      }
    }
  }
}

/**
 * The helpers core registers on a theme's Handlebars instance (see docs/themes.md, Helpers).
 * `i18n` is asked at each call, so a switched theme's messages are used at once.
 */
export function registerCoreHelpers(
  h: typeof Handlebars,
  i18n: () => I18n,
  slots: Map<string, SlotFiller[]>,
  isActive: (pluginId: string) => boolean,
): void {
  h.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) =>
    key === undefined || key === null
      ? ''
      : i18n().t(localeOf(options), String(key), options.hash as Record<string, unknown>),
  );
  h.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) =>
    i18n().date(localeOf(options), value),
  );
  h.registerHelper('number', (value: unknown, options: Handlebars.HelperOptions) =>
    i18n().number(localeOf(options), value),
  );
  h.registerHelper('isoDate', (value: unknown) => {
    const d = value instanceof Date ? value : new Date(String(value));
    return Number.isNaN(d.getTime()) ? '' : d.toISOString();
  });
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('not', (a: unknown) => !a);
  h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  // A form value that may repeat is a string when it came once, an array when more often.
  h.registerHelper('includes', (list: unknown, value: unknown) =>
    Array.isArray(list) ? list.includes(value) : list === value,
  );
  h.registerHelper('encode', (value: unknown) =>
    encodeURIComponent(value === undefined || value === null ? '' : String(value)),
  );
  h.registerHelper('concat', (...args: unknown[]) =>
    args
      .slice(0, -1)
      .map((a) => (a === undefined || a === null ? '' : String(a)))
      .join(''),
  );
  h.registerHelper('json', (value: unknown) => JSON.stringify(value));
  const SafeString = h.SafeString;
  h.registerHelper('slot', function (this: unknown, name: unknown, options: Handlebars.HelperOptions) {
    const context = { ...(typeof this === 'object' && this ? this : {}), ...(options.hash as object) };
    const html = (slots.get(String(name)) ?? [])
      .filter((f) => isActive(f.pluginId))
      .map((f) => f.template(context, { data: options.data }))
      .join('');
    // Each filler is a template whose own {{…}} escaped what it printed.
    return new SafeString(html);
  });
}

/** Every helper a template may call: Handlebars' built-ins and core's. */
export function coreHelperNames(): string[] {
  const h = Handlebars.create();
  registerCoreHelpers(
    h,
    () => new I18n(''),
    new Map(),
    () => true,
  );
  return Object.keys(h.helpers).filter((name) => name !== 'helperMissing' && name !== 'blockHelperMissing');
}

/**
 * Handlebars with one isolated instance per theme (never the global one). A view
 * `<pluginId>/<name>` is read from `<theme>/plugins/<pluginId>/<name>.hbs` when the theme
 * overrides it, else from the plugin's own views folder; core's pages are `core/<name>`, read from
 * `<theme>/core/<name>.hbs`. `{{…}}` escapes; `{{{…}}}` is for HTML the SDK's Markdown renderer
 * produced.
 *
 * A theme may name a parent (`themes.ts`): a template, partial, message or asset the theme lacks
 * comes from its parent, and so on up the chain. One theme is active at a time; {@link use}
 * switches to another for every later render (the admin's choice, read by `ActiveTheme`).
 *
 * Helpers: `t` (translate, `{{t "core.spaces.members" count=3}}`), `date`, `isoDate`, `number`,
 * `eq`, `not`, `and`, `or`, `includes`, `concat`, `encode` (a URL component), `json`, and `slot` (`{{slot "content.actions"}}`
 * renders what plugins put there: each plugin's `views/slots/<slot>.hbs`).
 */
export class ViewEngine {
  readonly i18n: I18n;
  private readonly isActive: (pluginId: string) => boolean;
  private readonly pluginHelpers: Map<string, Readonly<Record<string, TemplateHelper>>>;
  /** Each theme used since boot, kept compiled: switching back is free. */
  private readonly themes = new Map<string, ThemeTemplates>();
  private active: ThemeTemplates;

  constructor(
    theme: ThemeChain | string,
    private readonly pluginViews: Map<string, string>,
    options: ViewEngineOptions = {},
  ) {
    const chain =
      typeof theme === 'string' ? { name: basename(theme), dirs: [theme], names: [basename(theme)] } : theme;
    this.i18n = new I18n(
      chain.dirs.map((dir) => join(dir, 'locales')),
      options.locales,
    );
    this.isActive = options.isActive ?? (() => true);
    this.pluginHelpers = options.helpers ?? new Map();
    this.active = this.templatesOf(chain);
  }

  private templatesOf(chain: ThemeChain): ThemeTemplates {
    const key = chain.dirs.join('\n');
    let templates = this.themes.get(key);
    if (!templates) {
      const isActive = (pluginId: string) => this.isActive(pluginId);
      templates = new ThemeTemplates(
        chain,
        this.pluginViews,
        (hbs, slots) => registerCoreHelpers(hbs, () => this.i18n, slots, isActive),
        this.pluginHelpers,
      );
      this.themes.set(key, templates);
    }
    return templates;
  }

  /** The active theme's Handlebars instance. */
  get hbs(): typeof Handlebars {
    return this.active.hbs;
  }

  /** The active theme with its parents. */
  get theme(): ThemeChain {
    return this.active.chain;
  }

  /** The active theme's own folder. */
  get themeDir(): string {
    return this.active.chain.dirs[0];
  }

  /**
   * Renders every later page with `chain`'s theme: its templates, partials and messages. Returns
   * whether anything changed.
   */
  use(chain: ThemeChain): boolean {
    const next = this.templatesOf(chain);
    if (next === this.active) return false;
    this.active = next;
    this.i18n.useThemeLocales(chain.dirs.map((dir) => join(dir, 'locales')));
    return true;
  }

  /** The file of the active theme (or the nearest parent that has it), e.g. `public/plein.css`; null when none has it. */
  themeFile(file: string): string | null {
    return fileInChain(this.active.chain.dirs, file);
  }

  /** Slot name → the plugins that fill it. */
  slotMap(): Map<string, string[]> {
    return new Map([...this.active.slots].map(([slot, fillers]) => [slot, fillers.map((f) => f.pluginId)]));
  }

  /** The file a view comes from, or null when neither the theme nor the plugin has it. */
  resolve(view: string): string | null {
    const [pluginId, ...rest] = view.split('/');
    const name = rest.join('/');
    if (!pluginId || !name || name.includes('..')) return null;
    const override = this.themeFile(join('plugins', pluginId, `${name}.hbs`));
    if (override) return override;
    const own = this.pluginViews.get(pluginId);
    if (own && existsSync(join(own, `${name}.hbs`))) return join(own, `${name}.hbs`);
    if (pluginId === 'core') return this.themeFile(join('core', `${name}.hbs`));
    return null;
  }

  template(view: string): Template {
    const { cache, hbs } = this.active;
    let template = cache.get(view);
    if (!template) {
      const file = this.resolve(view);
      if (!file)
        throw new Error(
          `View '${view}': expected ${view.split('/')[0]}/views/${basename(view)}.hbs or a theme override, found neither`,
        );
      // preventIndent: a partial called on an indented line must not indent a textarea's contents.
      template = hbs.compile(readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
      cache.set(view, template);
    }
    return template;
  }

  layout(name = 'main'): Template {
    const { cache, hbs } = this.active;
    const key = `layout:${name}`;
    let template = cache.get(key);
    if (!template) {
      const file = this.themeFile(join('layouts', `${name}.hbs`));
      if (!file)
        throw new Error(
          `Layout '${name}': expected layouts/${name}.hbs in the theme ${this.active.chain.names.join(' or its parent ')}, found none`,
        );
      template = hbs.compile(readFileSync(file, 'utf8'), { preventIndent: true });
      cache.set(key, template);
    }
    return template;
  }

  render(view: string, data: object): string {
    return this.template(view)(data);
  }

  /**
   * A whole page: the view inside the theme's layout. What the page context says about the
   * request (user, locale, csrf, flash, navigation) wins over the handler's data, except `title`.
   */
  page(view: string, data: object, page: object & { title?: unknown }): string {
    const title = (data as { title?: unknown }).title ?? page.title;
    const context = { ...data, ...page, title };
    const body = this.render(view, context);
    return this.layout()({ ...context, body });
  }
}

/** The SDK's `Views` for one plugin. */
export class PluginViews extends Views {
  constructor(private readonly engine: ViewEngine) {
    super();
  }

  async render(view: string, data: object): Promise<string> {
    return this.engine.render(view, data);
  }
}
