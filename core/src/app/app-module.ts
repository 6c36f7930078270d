import { Global, Module, UseInterceptors, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { APP_FILTER, APP_GUARD, APP_PIPE, RouterModule, type Routes } from '@nestjs/core';
import { Audit, Clock, Contents, Database, EventBus, Jobs, Notifications, Permissions, Settings, Spaces, Users, Views } from '@plein/sdk';
import { AuthController } from '../auth/auth.controller';
import { AuthService } from '../auth/auth.service';
import { ThrottleService } from '../auth/throttle.service';
import { PasswordResetController } from '../auth/password-reset.controller';
import { PasswordResetService } from '../auth/password-reset.service';
import { I18n } from '../i18n/i18n';
import { corePages } from '../pages/index';
import { ContentsService } from '../content/contents.service';
import { ActivityController } from '../activity/activity.controller';
import { ActivityService } from '../activity/activity.service';
import { HomeActivity } from '../activity/activity-view';
import { SearchController } from '../search/search.controller';
import { SearchService } from '../search/search.service';
import { DigestController } from '../digests/digest.controller';
import { DigestService } from '../digests/digest.service';
import { NotificationsController } from '../notifications/notifications.controller';
import { NotificationsService } from '../notifications/notifications.service';
import { PermissionsController } from '../permissions/permissions.controller';
import { SpacesController } from '../spaces/spaces.controller';
import { SpacePluginsController, SpacePolicyController } from '../spaces/space-plugins.controller';
import { SpacePluginsService } from '../spaces/space-plugins.service';
import { SpacesService } from '../spaces/spaces.service';
import { UsersController } from '../users/users.controller';
import { AuditController } from '../audit/audit.controller';
import { AuditService } from '../audit/audit.service';
import { PLEIN_CONFIG } from '../config/config.token';
import type { PleinConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { EventBusService } from '../events/event-bus.service';
import { HealthController } from '../health/health.controller';
import { AccessGuard } from '../http/access.guard';
import { PageInterceptor } from '../http/page.interceptor';
import { AnonymousPageCache } from '../views/anonymous-cache';
import { ProblemFilter } from '../http/problem.filter';
import { validationPipe } from '../http/validation';
import { JobsController } from '../jobs/jobs.controller';
import { JobsService } from '../jobs/jobs.service';
import { PermissionsService } from '../permissions/permissions.service';
import type { InstalledPlugin } from '../plugins/plugin-registry';
import { PluginRegistry } from '../plugins/plugin-registry';
import { PluginsController } from '../plugins/plugins.controller';
import { PluginSettings } from '../settings/settings.service';
import { UsersService } from '../users/users.service';
import { PageContextBuilder } from '../views/page-context';
import { ActiveTheme } from '../views/active-theme';
import { PluginViews, ViewEngine } from '../views/view-engine';

/** The services core builds before Nest starts, shared by every module. */
export interface CoreServices {
  config: PleinConfig;
  db: DatabaseService;
  clock: Clock;
  registry: PluginRegistry;
  permissions: PermissionsService;
  users: UsersService;
  jobs: JobsService;
  events: EventBusService;
  audit: AuditService;
  views: ViewEngine;
  /** Which theme renders the pages (an administrator's choice, else the configured one). */
  themes: ActiveTheme;
  /** Rendered pages for visitors who are not signed in (`@AnonymousCache`). */
  pageCache: AnonymousPageCache;
  auth: AuthService;
  throttle: ThrottleService;
  spaces: SpacesService;
  contents: ContentsService;
  notifications: NotificationsService;
  passwordReset: PasswordResetService;
  activity: ActivityService;
  search: SearchService;
  digests: DigestService;
}

/** Controllers core mounts itself. */
export const coreControllers: Type[] = [
  HealthController,
  PluginsController,
  AuditController,
  JobsController,
  AuthController,
  UsersController,
  SpacesController,
  SpacePluginsController,
  SpacePolicyController,
  PermissionsController,
  NotificationsController,
  DigestController,
  PasswordResetController,
  ActivityController,
  SearchController,
  ...asPages(corePages),
];

/**
 * Marks page controllers (core's and every plugin's `pages`) for the page interceptor. Only those:
 * as a global interceptor it ran on every API request too, where it has nothing to do and its
 * Observable pipeline cost 120–150 µs a request.
 */
function asPages(controllers: readonly Type[]): Type[] {
  for (const controller of controllers) {
    const interceptors: unknown[] = Reflect.getMetadata(INTERCEPTORS_METADATA, controller) ?? [];
    if (!interceptors.includes(PageInterceptor)) UseInterceptors(PageInterceptor)(controller);
  }
  return [...controllers];
}

function namedClass(name: string): Type {
  const cls = class {};
  Object.defineProperty(cls, 'name', { value: name });
  return cls as Type;
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
}

function tokenOf(provider: Provider): unknown {
  return typeof provider === 'function' ? provider : provider.provide;
}

/** What the boot keeps of each plugin module, to find its providers afterwards. */
export interface PluginModules {
  /** Plugin id → the module holding its providers. */
  modules: Map<string, Type>;
}

/**
 * Builds the application module: a global core module, and per plugin a module of its providers
 * plus the SDK services as that plugin sees them (its own event publisher, queue, settings,
 * audit trail, views), with its API controllers under `/api/v1/<id>` and pages under `/<id>`.
 */
export function buildAppModule(core: CoreServices, plugins: InstalledPlugin[]): { module: DynamicModule } & PluginModules {
  const coreProviders: Provider[] = [
    { provide: PLEIN_CONFIG, useValue: core.config },
    { provide: DatabaseService, useValue: core.db },
    { provide: Database, useValue: core.db },
    { provide: Clock, useValue: core.clock },
    { provide: PluginRegistry, useValue: core.registry },
    { provide: PermissionsService, useValue: core.permissions },
    { provide: Permissions, useValue: core.permissions },
    { provide: UsersService, useValue: core.users },
    { provide: Users, useValue: core.users },
    { provide: JobsService, useValue: core.jobs },
    { provide: EventBusService, useValue: core.events },
    { provide: AuditService, useValue: core.audit },
    { provide: ViewEngine, useValue: core.views },
    { provide: ActiveTheme, useValue: core.themes },
    { provide: AuthService, useValue: core.auth },
    { provide: ThrottleService, useValue: core.throttle },
    { provide: SpacesService, useValue: core.spaces },
    { provide: Spaces, useValue: core.spaces },
    // Which plugins are on in which space; kept as long as plugin state between polls.
    { provide: SpacePluginsService, useValue: new SpacePluginsService(core.db, core.registry, core.clock, core.config.statePollMs) },
    { provide: ContentsService, useValue: core.contents },
    { provide: NotificationsService, useValue: core.notifications },
    { provide: PasswordResetService, useValue: core.passwordReset },
    { provide: ActivityService, useValue: core.activity },
    { provide: SearchService, useValue: core.search },
    { provide: DigestService, useValue: core.digests },
    HomeActivity,
    { provide: I18n, useValue: core.views.i18n },
    // One page-context builder for the page interceptor and the error pages.
    { provide: AnonymousPageCache, useValue: core.pageCache },
    {
      provide: PageContextBuilder,
      useValue: new PageContextBuilder(core.views, core.registry, core.permissions, core.auth, core.notifications, core.config.secret),
    },
  ];
  const CoreModule = namedClass('PleinCoreModule');
  Global()(CoreModule);
  Module({ providers: coreProviders, exports: coreProviders.map(tokenOf) as never[] })(CoreModule);

  const imports: Array<Type | DynamicModule> = [CoreModule];
  const routes: Routes = [];
  const modules = new Map<string, Type>();
  for (const plugin of plugins) {
    const d = plugin.definition;
    const scoped: Provider[] = [
      { provide: EventBus, useValue: core.events.forPlugin(d.id) },
      { provide: Jobs, useValue: core.jobs.forPlugin(d.id) },
      { provide: Settings, useValue: new PluginSettings(d.id, d.settings, core.db, core.clock) },
      { provide: Audit, useValue: core.audit.forPlugin(d.id) },
      { provide: Views, useValue: new PluginViews(core.views) },
      { provide: Contents, useValue: core.contents.forPlugin(d.id) },
      { provide: Notifications, useValue: core.notifications.forPlugin(d.id) },
    ];
    const providers = [...(d.providers ?? []), ...scoped];
    const PluginModule = namedClass(`${pascal(d.id)}PluginModule`);
    Module({ providers, exports: providers.map(tokenOf) as never[] })(PluginModule);
    modules.set(d.id, PluginModule);
    imports.push(PluginModule);
    if (d.controllers?.length) {
      const Api = namedClass(`${pascal(d.id)}ApiModule`);
      Module({ imports: [PluginModule], controllers: d.controllers })(Api);
      imports.push(Api);
      routes.push({ path: `api/v1/${d.id}`, module: Api });
    }
    if (d.pages?.length) {
      const Pages = namedClass(`${pascal(d.id)}PagesModule`);
      Module({ imports: [PluginModule], controllers: asPages(d.pages) })(Pages);
      imports.push(Pages);
      routes.push({ path: d.id, module: Pages });
    }
  }
  imports.push(RouterModule.register(routes));

  const AppModule = namedClass('PleinAppModule');
  Module({})(AppModule);
  return {
    module: {
      module: AppModule,
      imports,
      controllers: coreControllers,
      providers: [
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: validationPipe },
      ],
    },
    modules,
  };
}
