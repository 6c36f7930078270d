import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { Views } from '@plein/sdk';
import { DEFAULT_LOCALE, I18n } from '../i18n/i18n';

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
}

interface SlotFiller {
  pluginId: string;
  template: Template;
}

const localeOf = (options: Handlebars.HelperOptions | undefined): string => {
  const root = (options?.data as { root?: { locale?: unknown } } | undefined)?.root;
  return typeof root?.locale === 'string' ? root.locale : DEFAULT_LOCALE;
};

/**
 * Handlebars with one isolated instance per theme (never the global one). A view
 * `<pluginId>/<name>` is read from `<theme>/plugins/<pluginId>/<name>.hbs` when the theme
 * overrides it, else from the plugin's own views folder; core's pages are `core/<name>`, read from
 * `<theme>/core/<name>.hbs`. `{{…}}` escapes; `{{{…}}}` is for HTML the SDK's Markdown renderer
 * produced.
 *
 * Helpers: `t` (translate, `{{t "core.spaces.members" count=3}}`), `date`, `isoDate`, `number`,
 * `eq`, `not`, `and`, `or`, `includes`, `concat`, `encode` (a URL component), `json`, and `slot` (`{{slot "content.actions"}}`
 * renders what plugins put there: each plugin's `views/slots/<slot>.hbs`).
 */
export class ViewEngine {
  readonly hbs = Handlebars.create();
  readonly i18n: I18n;
  private readonly cache = new Map<string, Template>();
  private readonly slots = new Map<string, SlotFiller[]>();
  private readonly isActive: (pluginId: string) => boolean;

  constructor(
    readonly themeDir: string,
    private readonly pluginViews: Map<string, string>,
    options: ViewEngineOptions = {},
  ) {
    this.i18n = new I18n(join(themeDir, 'locales'), options.locales);
    this.isActive = options.isActive ?? (() => true);
    this.registerHelpers();
    for (const file of hbsFiles(join(themeDir, 'partials'))) {
      this.hbs.registerPartial(relative(join(themeDir, 'partials'), file).replace(/\.hbs$/, ''), readFileSync(file, 'utf8'));
    }
    for (const [pluginId, dir] of pluginViews) {
      for (const file of hbsFiles(join(dir, 'partials'))) {
        this.hbs.registerPartial(`${pluginId}/${relative(join(dir, 'partials'), file).replace(/\.hbs$/, '')}`, readFileSync(file, 'utf8'));
      }
      for (const file of hbsFiles(join(dir, 'slots'))) {
        const slot = basename(file, '.hbs');
        if (!(SLOTS as readonly string[]).includes(slot)) {
          throw new Error(`Plugin '${pluginId}': expected slot partials named after a slot (${SLOTS.join(', ')}), found ${relative(dir, file)}`);
        }
        const fillers = this.slots.get(slot) ?? this.slots.set(slot, []).get(slot)!;
        fillers.push({ pluginId, template: this.hbs.compile(readFileSync(file, 'utf8'), { preventIndent: true }) });
      }
    }
  }

  /** Slot name → the plugins that fill it. */
  slotMap(): Map<string, string[]> {
    return new Map([...this.slots].map(([slot, fillers]) => [slot, fillers.map((f) => f.pluginId)]));
  }

  private registerHelpers(): void {
    const i18n = (): I18n => this.i18n;
    const h = this.hbs;
    h.registerHelper('t', (key: unknown, options: Handlebars.HelperOptions) => (key === undefined || key === null ? '' : i18n().t(localeOf(options), String(key), options.hash as Record<string, unknown>)));
    h.registerHelper('date', (value: unknown, options: Handlebars.HelperOptions) => i18n().date(localeOf(options), value));
    h.registerHelper('number', (value: unknown, options: Handlebars.HelperOptions) => i18n().number(localeOf(options), value));
    h.registerHelper('isoDate', (value: unknown) => {
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime()) ? '' : d.toISOString();
    });
    h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    h.registerHelper('not', (a: unknown) => !a);
    h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
    h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
    // A form value that may repeat is a string when it came once, an array when more often.
    h.registerHelper('includes', (list: unknown, value: unknown) => (Array.isArray(list) ? list.includes(value) : list === value));
    h.registerHelper('encode', (value: unknown) => encodeURIComponent(value === undefined || value === null ? '' : String(value)));
    h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map((a) => (a === undefined || a === null ? '' : String(a))).join(''));
    h.registerHelper('json', (value: unknown) => JSON.stringify(value));
    const slots = this.slots;
    const isActive = (pluginId: string) => this.isActive(pluginId);
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

  /** The file a view comes from, or null when neither the theme nor the plugin has it. */
  resolve(view: string): string | null {
    const [pluginId, ...rest] = view.split('/');
    const name = rest.join('/');
    if (!pluginId || !name || name.includes('..')) return null;
    const override = join(this.themeDir, 'plugins', pluginId, `${name}.hbs`);
    if (existsSync(override)) return override;
    const own = this.pluginViews.get(pluginId);
    if (own && existsSync(join(own, `${name}.hbs`))) return join(own, `${name}.hbs`);
    if (pluginId === 'core' && existsSync(join(this.themeDir, 'core', `${name}.hbs`))) return join(this.themeDir, 'core', `${name}.hbs`);
    return null;
  }

  template(view: string): Template {
    let template = this.cache.get(view);
    if (!template) {
      const file = this.resolve(view);
      if (!file) throw new Error(`View '${view}': expected ${view.split('/')[0]}/views/${basename(view)}.hbs or a theme override, found neither`);
      // preventIndent: a partial called on an indented line must not indent a textarea's contents.
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: false, preventIndent: true });
      this.cache.set(view, template);
    }
    return template;
  }

  layout(name = 'main'): Template {
    const key = `layout:${name}`;
    let template = this.cache.get(key);
    if (!template) {
      template = this.hbs.compile(readFileSync(join(this.themeDir, 'layouts', `${name}.hbs`), 'utf8'), { preventIndent: true });
      this.cache.set(key, template);
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
