import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import Handlebars from 'handlebars';
import { Views } from '@plein/sdk';

type Template = Handlebars.TemplateDelegate;

function hbsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.hbs'))
    .map((e) => join(e.parentPath, e.name));
}

/**
 * Handlebars with one isolated instance per theme (never the global one). A view
 * `<pluginId>/<name>` is read from `<theme>/plugins/<pluginId>/<name>.hbs` when the theme
 * overrides it, else from the plugin's own views folder. `{{…}}` escapes; `{{{…}}}` is for HTML
 * the SDK's Markdown renderer produced.
 */
export class ViewEngine {
  readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, Template>();

  constructor(
    readonly themeDir: string,
    private readonly pluginViews: Map<string, string>,
  ) {
    this.registerHelpers();
    for (const file of hbsFiles(join(themeDir, 'partials'))) {
      this.hbs.registerPartial(relative(join(themeDir, 'partials'), file).replace(/\.hbs$/, ''), readFileSync(file, 'utf8'));
    }
    for (const [pluginId, dir] of pluginViews) {
      for (const file of hbsFiles(join(dir, 'partials'))) {
        this.hbs.registerPartial(`${pluginId}/${relative(join(dir, 'partials'), file).replace(/\.hbs$/, '')}`, readFileSync(file, 'utf8'));
      }
    }
  }

  private registerHelpers(): void {
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('json', (value: unknown) => JSON.stringify(value));
    this.hbs.registerHelper('date', (value: unknown) => {
      const d = value instanceof Date ? value : new Date(String(value));
      return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
    });
    this.hbs.registerHelper('isoDate', (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString());
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
      template = this.hbs.compile(readFileSync(file, 'utf8'), { strict: false });
      this.cache.set(view, template);
    }
    return template;
  }

  layout(name = 'main'): Template {
    const key = `layout:${name}`;
    let template = this.cache.get(key);
    if (!template) {
      template = this.hbs.compile(readFileSync(join(this.themeDir, 'layouts', `${name}.hbs`), 'utf8'));
      this.cache.set(key, template);
    }
    return template;
  }

  render(view: string, data: object): string {
    return this.template(view)(data);
  }

  /** A whole page: the view inside the theme's layout. */
  page(view: string, data: object, page: object): string {
    const body = this.render(view, { ...page, ...data });
    return this.layout()({ ...page, ...data, body });
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
