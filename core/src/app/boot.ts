import { basename, dirname, join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import { Logger, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  InvalidInput,
  METADATA,
  type Clock,
  type EventHandlerMetadata,
  type JobDefinition,
  type PluginContext,
  type PluginDefinition,
} from '@plein/sdk';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { SystemClock } from '../clock';
import type { PleinConfig } from '../config/config';
import { coreEntities } from '../database/core-entities';
import { dataSourceOptions } from '../database/data-source';
import { DatabaseService } from '../database/database.service';
import { coreMigrations } from '../database/migrations/index';
import { migrateUp, type MigrationProgress, type MigrationSet } from '../database/migrations';
import { EventBusService } from '../events/event-bus.service';
import { BullQueue } from '../jobs/bullmq-queue';
import { EmbeddedQueue, type EmbeddedQueueOptions } from '../jobs/embedded-queue';
import { JobsService } from '../jobs/jobs.service';
import { cleanupJob, registerCleanup } from '../jobs/cleanup';
import type { QueueBackend } from '../jobs/queue-backend';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { setupOpenApi } from '../http/openapi';
import { discoverPlugins, type DiscoveredPlugin } from '../plugins/discovery';
import { PluginRegistry, type InstalledPlugin } from '../plugins/plugin-registry';
import { describeProblem, unguardedRoutes, validatePlugins, type PluginProblem } from '../plugins/validation';
import { UsersService } from '../users/users.service';
import { AuthService } from '../auth/auth.service';
import { ThrottleService } from '../auth/throttle.service';
import { PasswordResetService } from '../auth/password-reset.service';
import { rememberFormToken } from '../http/page.interceptor';
import { securityHeaders } from '../http/security-headers';
import { ContentsService } from '../content/contents.service';
import { activityPermissions } from '../activity/activity-permissions';
import { ActivityService } from '../activity/activity.service';
import { ContentItems } from '../activity/content-items';
import { searchPermissions } from '../search/search-permissions';
import { SearchIndexer } from '../search/search-indexer';
import { SearchService } from '../search/search.service';
import { SearchState } from '../search/search-state';
import { DigestCollector } from '../digests/digest-content';
import { planDigestsJob, PLAN_DIGESTS_PATTERN, registerDigestJobs } from '../digests/digest-jobs';
import { DigestMail } from '../digests/digest-mail';
import { DigestService } from '../digests/digest.service';
import { MailTemplates } from '../digests/mail-templates';
import { MailService } from '../notifications/mail.service';
import { NotificationsService } from '../notifications/notifications.service';
import { SpacesService } from '../spaces/spaces.service';
import { AnonymousPageCache } from '../views/anonymous-cache';
import { themeChain, ThemeNotFoundError, type ThemeChain } from '../views/themes';
import { ViewEngine } from '../views/view-engine';
import { ActiveTheme } from '../views/active-theme';
import { PluginSettings } from '../settings/settings.service';
import type { I18n } from '../i18n/i18n';
import { buildAppModule, coreControllers, type CoreServices } from './app-module';

const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The path (`a.b[2]`) of the first string in `value`, key or value, that holds half of a UTF-16
 * surrogate pair: JSON can spell one (`"\ud800"`) though it is no text, and no database column
 * stores it faithfully (MySQL refuses it; SQLite keeps bytes no reader can decode).
 */
export function loneSurrogatePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = loneSurrogatePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return at;
      const found = loneSurrogatePath(item, at);
      if (found) return found;
    }
  }
  return null;
}

/** How deeply a JSON text nests arrays and objects (strings skipped), in one linear scan. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/** The boot refused to go on; `problems` are whole sentences naming plugin, expectation and fact. */
export class BootError extends Error {
  constructor(readonly problems: string[]) {
    super(`Plein cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface BootOptions {
  config: PleinConfig;
  /** Plugin definitions to load besides the configured list (tests). */
  plugins?: PluginDefinition[];
  clock?: Clock;
  /** Serve HTTP on config.host:config.port. Off: the app is initialised but not listening. */
  listen?: boolean;
  /** `auto`: run workers when config.runWorkers; `manual`: only through runDueJobs; `off`: never. */
  jobs?: 'auto' | 'manual' | 'off';
  queue?: EmbeddedQueueOptions & { stalledMs?: number };
  logger?: false | LogLevel[];
  migrationProgress?: MigrationProgress;
}

/** A running Plein and what tests and the CLI need of it. */
export interface RunningPlein extends CoreServices {
  app: NestFastifyApplication;
  close(): Promise<void>;
  runDueJobs(): Promise<number>;
}

/** The configured theme with its parents; a missing one stops the boot. */
function configuredTheme(name: string, root: string): ThemeChain {
  try {
    return themeChain(name, root);
  } catch (error) {
    if (error instanceof ThemeNotFoundError) throw new BootError([error.message]);
    throw error;
  }
}

function providerClasses(definition: PluginDefinition): Array<{ token: unknown; cls: Type }> {
  return (definition.providers ?? []).flatMap((p) => {
    if (typeof p === 'function') return [{ token: p, cls: p as Type }];
    if ('useClass' in p && p.useClass) return [{ token: p.provide, cls: p.useClass as Type }];
    return [];
  });
}

/**
 * Boots Plein in the order DESIGN.md §2 gives: discover, validate (no plugin code runs), migrate
 * (core, then each plugin in dependency order), build the Nest application, run lifecycle hooks,
 * then serve and work.
 */
export async function bootPlein(options: BootOptions): Promise<RunningPlein> {
  const { config } = options;
  const logger = new Logger('Boot');
  const clock = options.clock ?? new SystemClock();

  // 1–2. Discover and validate.
  const discovered = discoverPlugins(config, options.plugins);
  const validation = validatePlugins(discovered, config.ignoreSdkRange);
  const coreProblems = coreControllers
    .flatMap((c) => unguardedRoutes(c))
    .map((r) => `Core route ${r}: expected a permission or @Public(), found neither`);
  const registry = new PluginRegistry(clock);
  const fatal: PluginProblem[] = [];
  for (const plugin of discovered) {
    const problems = validation.rejected.get(plugin.definition.id);
    if (!problems) continue;
    if (plugin.definition.failurePolicy === 'disable' && !fatal.some((p) => p.pluginId === plugin.definition.id)) {
      registry.add(plugin, 'failed', problems.map(describeProblem).join('; '));
      logger.error(`plugin '${plugin.definition.id}' disabled: ${problems.map(describeProblem).join('; ')}`);
    } else {
      fatal.push(...problems);
    }
  }
  if (fatal.length || coreProblems.length) throw new BootError([...coreProblems, ...fatal.map(describeProblem)]);

  // 3. Migrate.
  const booting: DiscoveredPlugin[] = [];
  await migrateUp(config.database, [{ owner: 'core', migrations: coreMigrations }], options.migrationProgress);
  for (const plugin of validation.ordered) {
    const failedDep = (
      plugin.definition.dependsOn && Array.isArray(plugin.definition.dependsOn)
        ? plugin.definition.dependsOn
        : ((plugin.definition.dependsOn as { required?: string[] } | undefined)?.required ?? [])
    ).find((dep) => registry.get(dep)?.state === 'failed');
    if (failedDep) {
      registry.add(plugin, 'failed', `depends on '${failedDep}', which failed`);
      continue;
    }
    const set: MigrationSet = { owner: plugin.definition.id, migrations: plugin.definition.migrations ?? [] };
    try {
      await migrateUp(config.database, [set], options.migrationProgress);
      booting.push(plugin);
    } catch (error) {
      if (plugin.definition.failurePolicy !== 'disable') throw new BootError([(error as Error).message]);
      registry.add(plugin, 'failed', (error as Error).message);
      logger.error(`plugin '${plugin.definition.id}' disabled: ${(error as Error).message}`);
    }
  }

  // 4. Services and the Nest application.
  const dataSource = new DataSource(
    dataSourceOptions(config.database, {
      entities: [...coreEntities, ...booting.flatMap((p) => (p.definition.entities ?? []) as Type[])],
    }),
  );
  await dataSource.initialize();
  const db = new DatabaseService(dataSource);
  for (const plugin of booting) registry.add(plugin, 'enabled');
  await registry.load(db);

  let backend: QueueBackend;
  if (config.redisUrl) {
    const bull = new BullQueue(config.redisUrl, config.queuePrefix, db, {
      lockMs: options.queue?.lockMs ?? config.jobLockMs,
      stalledMs: options.queue?.stalledMs ?? config.jobStalledMs,
    });
    await bull.connect();
    backend = bull;
  } else {
    backend = new EmbeddedQueue(db, clock, { lockMs: config.jobLockMs, ...options.queue });
  }
  const jobs = new JobsService(backend, registry.isActive);
  const events = new EventBusService(db, jobs, clock, registry.isActive);
  registerCleanup(jobs, db, clock);
  const permissions = new PermissionsService(db, clock);
  permissions.declare('core', Object.values(corePermissions));
  permissions.declare('core', [activityPermissions.read, searchPermissions.use]);
  for (const plugin of booting) permissions.declare(plugin.definition.id, plugin.definition.permissions ?? []);
  const users = new UsersService(db, clock);
  const isSiteAdmin = (user: { id: string }) => users.isSiteAdmin(user);
  const audit = new AuditService(db, clock);
  users.useAudit(audit);
  const throttle = new ThrottleService(db, clock);
  const spaces = new SpacesService(db, clock, isSiteAdmin);
  permissions.useSpaceRoles((userId, spaceId) => spaces.roleOf(userId, spaceId));
  await permissions.seed();
  const contents = new ContentsService(
    db,
    clock,
    events,
    permissions,
    isSiteAdmin,
    (u) => users.signedIn(u.id),
    (id) => registry.isActive(id),
  );
  for (const plugin of booting) contents.declareTypes(plugin.definition.id, plugin.definition.contentTypes ?? []);
  // The activity stream and search span every plugin's content; durable handlers keep the search index current.
  const contentItems = new ContentItems(db, contents, users);
  const inactivePlugins = () =>
    registry
      .all()
      .filter((p) => p.state !== 'enabled')
      .map((p) => p.definition.id);
  const activity = new ActivityService(db, contents, contentItems, inactivePlugins);
  // Cached search answers are filed under the index state, which index writes and content changes move on.
  const searchState = new SearchState(db, config.statePollMs);
  searchState.watchWrites();
  contents.onChange(() => searchState.bumpAfterCommit());
  const searchIndexer = new SearchIndexer(db, searchState);
  searchIndexer.indexContentEvents(events);
  const search = new SearchService(db, contents, contentItems, searchIndexer.index, inactivePlugins, searchState, {
    entries: config.search.cacheEntries,
    ttlMs: config.search.cacheTtlMs,
  });
  const mail = new MailService(config.smtpUrl, join(config.dataDir, 'mail'));
  let i18nForMail: I18n | null = null;
  const notifications = new NotificationsService(
    db,
    clock,
    jobs,
    mail,
    () => config.publicUrl,
    () => i18nForMail,
  );
  for (const plugin of booting) notifications.declare(plugin.definition.id, plugin.definition.notificationKinds ?? []);
  const pluginViews = new Map(
    booting.filter((p) => p.definition.views).map((p) => [p.definition.id, resolve(p.root, p.definition.views!)]),
  );
  const pluginLocales = new Map(
    booting.filter((p) => p.definition.locales).map((p) => [p.definition.id, resolve(p.root, p.definition.locales!)]),
  );
  const views = new ViewEngine(configuredTheme(config.theme, config.root), pluginViews, {
    locales: pluginLocales,
    isActive: registry.isActive,
    helpers: new Map(booting.filter((p) => p.definition.helpers).map((p) => [p.definition.id, p.definition.helpers!])),
  });
  i18nForMail = views.i18n;
  const digestMail = new DigestMail(new MailTemplates(views), views.i18n, () => config.publicUrl);
  const digests = new DigestService(
    db,
    clock,
    jobs,
    users,
    new DigestCollector(db, activity, contentItems, contents, permissions),
    digestMail,
  );
  registerDigestJobs(jobs, digests);
  const auth = new AuthService(db, clock, users, throttle, audit, config.secret);
  // The theme an administrator chose (stored in core's settings), else the configured one.
  const themes = new ActiveTheme(
    views,
    new PluginSettings('core', undefined, db, clock),
    config.root,
    config.theme,
    () => core.pageCache.clear(),
  );
  const core: CoreServices = {
    config,
    db,
    clock,
    registry,
    permissions,
    users,
    jobs,
    events,
    audit,
    views,
    themes,
    auth,
    passwordReset: new PasswordResetService(db, clock, auth, throttle, audit, jobs, views.i18n, () => config.publicUrl),
    throttle,
    spaces,
    contents,
    notifications,
    pageCache: new AnonymousPageCache(),
    activity,
    search,
    digests,
  };
  await themes.load();
  // Whatever this instance publishes may change a cached page: start afresh.
  events.observers.push(() => core.pageCache.clear());
  const installed = booting.map((p) => registry.get(p.definition.id)!);
  const { module, modules } = buildAppModule(core, installed);
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    new FastifyAdapter({ bodyLimit: 1024 * 1024, trustProxy: true }),
    {
      logger:
        options.logger ?? (process.env.PLEIN_LOG === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn']),
      abortOnError: false,
      // Core owns body parsing (see the JSON parser below) instead of Nest's defaults.
      bodyParser: false,
    },
  );

  // Wire @OnEvent handlers and @ProcessJob processors of each plugin.
  const contexts = new Map<string, PluginContext>();
  for (const plugin of installed) {
    const id = plugin.definition.id;
    const ref = app.select(modules.get(id)!);
    contexts.set(id, { pluginId: id, get: (token) => ref.get(token as Type, { strict: true }) });
    registry.setContext(id, contexts.get(id)!);
    for (const { token, cls } of providerClasses(plugin.definition)) {
      const instance = ref.get(token as Type, { strict: true }) as Record<
        string,
        (...args: unknown[]) => Promise<void>
      >;
      for (const method of Object.getOwnPropertyNames(cls.prototype)) {
        const fn = (cls.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof fn !== 'function') continue;
        const handlers = Reflect.getMetadata(METADATA.eventHandler, fn) as EventHandlerMetadata[] | undefined;
        for (const h of handlers ?? []) {
          events.register({
            key: `${id}:${cls.name}.${method}`,
            pluginId: id,
            eventName: h.event.name,
            durable: h.options.durable ?? false,
            attempts: h.options.attempts ?? 5,
            invoke: (event) => instance[method](event),
          });
        }
        const job = Reflect.getMetadata(METADATA.jobProcessor, fn) as JobDefinition<unknown> | undefined;
        if (job) jobs.register({ queue: id, definition: job, run: (data, ctx) => instance[method](data, ctx) });
      }
    }
  }

  // 5. Lifecycle: init in dependency order.
  for (const plugin of installed) {
    try {
      await plugin.definition.lifecycle?.init?.(contexts.get(plugin.definition.id)!);
    } catch (error) {
      if (plugin.definition.failurePolicy !== 'disable') {
        await app.close();
        await dataSource.destroy();
        throw new BootError([
          `Plugin '${plugin.definition.id}': expected init() to succeed, found: ${(error as Error).message}`,
        ]);
      }
      registry.markFailed(plugin.definition.id, `init failed: ${(error as Error).message}`);
    }
  }

  const fastify = app.getHttpAdapter().getInstance();
  // First: it records every route mounted from here on, and serves /api/docs and /api/docs-json.
  setupOpenApi(app, { plugins: installed });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody, { bodyLimit: 1024 * 1024 });
  // Before the access guard strips it: whether a form post carried its CSRF token at all.
  fastify.addHook('preHandler', rememberFormToken);
  fastify.addHook('onRequest', securityHeaders());
  // So does any change made through this instance (a space made private, a role's grants, a plugin
  // turned off), whether or not it publishes an event.
  fastify.addHook('onResponse', (request, _reply, done) => {
    if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') core.pageCache.clear();
    done();
  });
  // An action POST often carries `content-type: application/json` and no body: accept that as no body.
  const json = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' || body === undefined) return done(null, undefined);
    // Deeply nested JSON overflows the stack of validation further on: refuse it here.
    if (jsonDepth(body as string) > MAX_JSON_DEPTH)
      return done(
        Object.assign(new Error(`Body nests deeper than ${MAX_JSON_DEPTH} levels`), { statusCode: 400 }),
        undefined,
      );
    // A surrogate can only arrive spelled as an escape; only then is the parsed body walked.
    if (!/\\u[dD][89a-fA-F]/.test(body as string)) return json(request, body as string, done);
    json(request, body as string, (error, parsed) => {
      const field = error ? null : loneSurrogatePath(parsed);
      if (field)
        return done(
          new InvalidInput([
            { field, message: 'must be text: it holds half of a UTF-16 surrogate pair (\\uD800–\\uDFFF alone)' },
          ]),
          undefined,
        );
      done(error, parsed);
    });
  });
  // The active theme's public/ folder, else its parent's: looked up per request, as the theme may switch.
  await app.register(fastifyStatic, { root: join(core.views.themeDir, 'public'), serve: false });
  fastify.get('/assets/theme/*', (request, reply) => {
    // Not path.join: it would resolve `public/../package.json` to a file outside public/ before the check.
    const file = core.views.themeFile(`public/${(request.params as { '*': string })['*']}`);
    if (!file) return reply.callNotFound();
    return reply.sendFile(basename(file), dirname(file));
  });
  for (const plugin of installed) {
    if (plugin.definition.assets) {
      await app.register(fastifyStatic, {
        root: resolve(plugin.root, plugin.definition.assets),
        prefix: `/plugins/${plugin.definition.id}/`,
        decorateReply: false,
      });
    }
  }
  await app.init();
  await fastify.ready();
  if (options.listen) await app.listen(config.port, config.host);

  for (const plugin of installed) {
    if (plugin.state !== 'enabled') continue;
    try {
      await plugin.definition.lifecycle?.ready?.(contexts.get(plugin.definition.id)!);
    } catch (error) {
      logger.error(`plugin '${plugin.definition.id}' ready() failed: ${(error as Error).message}`);
    }
  }

  const jobsMode = options.jobs ?? 'auto';
  let sweeper: NodeJS.Timeout | null = null;
  if (jobsMode === 'auto' && config.runWorkers) {
    await jobs.forPlugin('core').schedule(cleanupJob, {}, { pattern: '17 * * * *' });
    await jobs.forPlugin('core').schedule(planDigestsJob, {}, { pattern: PLAN_DIGESTS_PATTERN });
    await jobs.startWorkers();
    if (backend.kind === 'bullmq') {
      // A producer killed between commit and enqueue leaves an outbox row pending: re-enqueue it.
      await events.sweep(0);
      sweeper = setInterval(
        () => void events.sweep().catch((e: Error) => logger.warn(`outbox sweep: ${e.message}`)),
        15_000,
      );
      sweeper.unref();
    }
  }
  registry.onChange(() => backend.onStateChange?.());
  registry.startPolling(config.statePollMs);
  // Grants changed on another instance reach this one on the same beat as plugin state.
  const grantPoll =
    config.statePollMs > 0
      ? setInterval(
          () => void permissions.reload().catch((e: Error) => logger.warn(`could not re-read grants: ${e.message}`)),
          config.statePollMs,
        )
      : null;
  grantPoll?.unref();
  // So does the theme an administrator chose.
  themes.startPolling(config.statePollMs);

  let closed = false;
  return {
    ...core,
    app,
    runDueJobs: () => jobs.runDue(),
    async close() {
      if (closed) return;
      closed = true;
      registry.stopPolling();
      if (grantPoll) clearInterval(grantPoll);
      themes.stopPolling();
      if (sweeper) clearInterval(sweeper);
      for (const plugin of [...installed].reverse()) {
        try {
          await plugin.definition.lifecycle?.shutdown?.(contexts.get(plugin.definition.id)!);
        } catch (error) {
          logger.error(`plugin '${plugin.definition.id}' shutdown() failed: ${(error as Error).message}`);
        }
      }
      await app.close();
      await backend.close();
      await dataSource.destroy();
    },
  };
}

export type { InstalledPlugin };
