import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provider, Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { ContentTypeDefinition } from './content';
import type { EventDefinition } from './events';
import type { JobDefinition } from './jobs';
import { DEFINITION_KIND } from './metadata';
import type { NotificationKind } from './notifications';
import type { PermissionDefinition } from './permissions';

/**
 * A link in the main navigation, shown to users who hold `permission` (to everyone when absent).
 * A space's page lists the same links under "In this space", for the plugins the space uses: to
 * `spacePath` with the space's slug when the plugin has a page per space, else to `path`.
 *
 * @example
 * ```ts
 * const nav: NavigationItem = { label: 'Kudos', path: '/kudos', spacePath: '/kudos/spaces/:space', permission: 'kudos.kudo.read' };
 * ```
 */
export interface NavigationItem {
  /** A message key of the plugin's catalogue (or plain text), shown in the reader's language. */
  label: string;
  /** Where the link goes, from the site root (`/kudos`). */
  path: string;
  /**
   * The plugin's page for one space, from the site root, with `:space` where the space's slug goes
   * (`/kudos/spaces/:space`, or a filtered list such as `/kudos?space=:space`). Absent: a space's
   * page links to `path`.
   */
  spacePath?: string;
  /** A permission name: the link is shown only to those who hold it (in the space, on a space's page). Absent: shown to everyone. */
  permission?: string;
}

/**
 * Resolves services inside lifecycle hooks.
 *
 * @example
 * ```ts
 * lifecycle: { ready: async (ctx) => ctx.get(Jobs).schedule(cleanup, {}, { every: 3_600_000 }) }
 * ```
 */
export interface PluginContext {
  /** The plugin's own id. */
  readonly pluginId: string;
  /** A provider of this plugin or an SDK service, as this plugin sees it. */
  get<T>(token: Type<T> | (abstract new (...args: never[]) => T)): T;
}

/**
 * Hooks around the plugin's life. `init` runs in dependency order before the server listens,
 * `ready` when jobs may be enqueued, `shutdown` in reverse order while in-flight work drains.
 *
 * @example
 * ```ts
 * const lifecycle: PluginLifecycle = { ready: async (ctx) => { ... } };
 * ```
 */
export interface PluginLifecycle {
  /** Runs in dependency order before the server listens. */
  init?(ctx: PluginContext): Promise<void> | void;
  /** Runs once every plugin is initialised and jobs may be enqueued or scheduled. */
  ready?(ctx: PluginContext): Promise<void> | void;
  /** Runs in reverse dependency order while in-flight work drains. */
  shutdown?(ctx: PluginContext): Promise<void> | void;
}

/**
 * A Handlebars helper a plugin registers: called with the template's arguments and, last,
 * Handlebars' options (`options.hash` holds `name=value` arguments). What it answers is escaped by
 * `{{…}}` like any value.
 *
 * @example
 * ```ts
 * const percent: TemplateHelper = (part: number, whole: number) => (whole ? `${Math.round((part * 100) / whole)}%` : '');
 * ```
 */
export type TemplateHelper = (...args: never[]) => unknown;

/** A TypeORM migration class. @example `migrations: [KudosInit1730000000000]` */
export type MigrationClass = new () => MigrationInterface;

/**
 * Everything a plugin is, as plain data plus its Nest controllers and providers.
 *
 * @example
 * ```ts
 * const plugin: PluginManifest = { id: 'kudos', version: '1.0.0', sdk: '^1.0.0', displayName: 'Kudos' };
 * ```
 */
export interface PluginManifest {
  /** Lower case, `^[a-z][a-z0-9-]*$`, unique in the installation. */
  id: string;
  /**
   * Absolute path of the plugin's package folder, against which `views` and `assets` resolve.
   * {@link definePlugin} finds it from the file that calls it; set it only to override that.
   */
  root?: string;
  /** The plugin's own semver version. */
  version: string;
  /** The semver range of `@plein/sdk` the plugin was written for, e.g. `^1.0.0`. */
  sdk: string;
  /** The plugin's name as people read it (`Kudos`). */
  displayName: string;
  /** One sentence on what the plugin does. */
  description?: string;
  /** Plugin ids this one needs (boot refuses without them), plus soft ones it uses when present. */
  dependsOn?: string[] | { required?: string[]; optional?: string[] };
  /** TypeORM entity classes; tables must start with the plugin id (`kudos_…`). */
  entities?: Function[];
  /** Migrations, recorded in the table `migrations_<pluginId>`. */
  migrations?: MigrationClass[];
  /** Permissions this plugin declares, for its routes' `@RequirePermission` and for roles to hold. */
  permissions?: PermissionDefinition[];
  /** Kinds of user content this plugin owns (moderation, search and the activity stream see them). */
  contentTypes?: ContentTypeDefinition[];
  /** Events this plugin publishes. */
  events?: EventDefinition<any>[];
  /** Jobs this plugin runs. */
  jobs?: JobDefinition<any>[];
  /** JSON API controllers, mounted under `/api/v1/<pluginId>`. */
  controllers?: Type[];
  /** Server-rendered page controllers, mounted under `/<pluginId>`. */
  pages?: Type[];
  /** Nest providers: the plugin's services, event handlers (`@OnEvent`) and job processors (`@ProcessJob`). */
  providers?: Provider[];
  /** Folder of Handlebars views, relative to the package root; view `x` is `<pluginId>/x`, partial `partials/y.hbs` is `<pluginId>/y`. */
  views?: string;
  /**
   * Handlebars helpers the plugin registers on every theme, named `<pluginId>-<name>`
   * (`{{polls-percent votes total}}`). Declared here, they are known to `plein theme check`, which
   * accepts a theme's use of them while the plugin is enabled.
   */
  helpers?: Readonly<Record<string, TemplateHelper>>;
  /** Folder of static files, relative to the package root, served at `/plugins/<pluginId>/`. */
  assets?: string;
  /** Links this plugin adds to the main navigation. */
  navigation?: NavigationItem[];
  /** Kinds of notifications this plugin sends; users set a channel per kind. */
  notificationKinds?: NotificationKind[];
  /** Folder of message catalogues (`en.json`, `nl.json`), relative to the package root. */
  locales?: string;
  /** A class-validator class whose property initialisers are the defaults. */
  settings?: Type;
  /** `abort` (default): a failure stops the boot. `disable`: the plugin is marked failed and the rest runs. */
  failurePolicy?: 'abort' | 'disable';
  /** Hooks run when the plugin starts, is ready and shuts down. */
  lifecycle?: PluginLifecycle;
}

/**
 * What {@link definePlugin} returns: the manifest, branded so core can recognise it.
 *
 * @example
 * ```ts
 * import plugin from '@plein/example-kudos';
 * const definition: PluginDefinition = plugin;
 * ```
 */
export type PluginDefinition = Readonly<PluginManifest> & { readonly [DEFINITION_KIND]: 'plugin' };

/**
 * Defines a plugin. Export the result as the package's default export.
 *
 * @example
 * ```ts
 * export default definePlugin({
 *   id: 'kudos',
 *   version: '1.0.0',
 *   sdk: '^1.0.0',
 *   displayName: 'Kudos',
 *   entities: [Kudo],
 *   migrations: [KudosInit1730000000000],
 *   permissions: Object.values(kudosPermissions),
 *   events: [kudosGiven],
 *   controllers: [KudosController],
 *   providers: [KudosService],
 *   views: 'views',
 *   navigation: [{ label: 'Kudos', path: '/kudos', permission: 'kudos.kudo.read' }],
 * });
 * ```
 */
export function definePlugin(manifest: PluginManifest): PluginDefinition {
  return Object.freeze({
    ...manifest,
    root: manifest.root ?? packageRootOf(callerFile()),
    [DEFINITION_KIND]: 'plugin' as const,
  });
}

/** The file that called definePlugin, read from the V8 call sites. */
function callerFile(): string | undefined {
  const original = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, definePlugin);
    return holder.stack?.[0]?.getFileName() ?? undefined;
  } finally {
    Error.prepareStackTrace = original;
  }
}

/** The nearest folder above `file` that holds a package.json. */
function packageRootOf(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let dir = dirname(file.startsWith('file://') ? fileURLToPath(file) : file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
