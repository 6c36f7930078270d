import { SetMetadata } from '@nestjs/common';
import { METADATA } from './metadata';

/**
 * What a page handler decorated with {@link Render} may return besides its view data.
 *
 * @example
 * ```ts
 * return { title: 'Kudos', kudos } satisfies PageData;
 * ```
 */
export interface PageData {
  /** The page title shown in the browser tab and the heading. */
  title?: string;
  [key: string]: unknown;
}

/**
 * Renders a route's return value with a Handlebars view, inside the active theme's layout.
 * A theme overrides `kudos/list` with `themes/<theme>/plugins/kudos/list.hbs`.
 *
 * @example
 * ```ts
 * @Get()
 * @Public()
 * @Render('kudos/list')
 * async list(): Promise<PageData> { return { title: 'Kudos', kudos: await this.kudos.latest() }; }
 * ```
 */
export function Render(view: string): MethodDecorator {
  return SetMetadata(METADATA.render, view);
}

/**
 * Lets core keep this page's rendered HTML for people who are not signed in, for up to `seconds`
 * (a per-instance cache, as Discourse's anonymous cache). Anything published on the instance (a
 * content event, any plugin's event) empties it, so the instance that took a change never serves
 * the old page; other instances may for up to `seconds`. The access guard still runs on every
 * request; each visitor gets their own CSRF token in the cached HTML; a request carrying a flash
 * message is never served from the cache. Use it for read pages whose HTML depends only on the
 * address, the language and the data (a wiki page), never for pages that show anything about the
 * visitor.
 *
 * @example
 * ```ts
 * @Get(':space/*')
 * @Public()
 * @Render('wiki/page')
 * @AnonymousCache(10)
 * async read(): Promise<PageData> { … }
 * ```
 */
export function AnonymousCache(seconds: number): MethodDecorator {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) throw new Error(`AnonymousCache: expected whole seconds between 1 and 3600, found ${seconds}`);
  return SetMetadata(METADATA.anonymousCache, seconds);
}

/**
 * Renders views outside a request (mail bodies, fragments).
 *
 * @example
 * ```ts
 * constructor(private readonly views: Views) {}
 * const html = await this.views.render('kudos/card', { kudo });
 * ```
 */
export abstract class Views {
  /**
   * Renders `view` (`<pluginId>/<name>`) with `data`, without a layout.
   *
   * @example
   * ```ts
   * await views.render('kudos/card', { kudo: { message: 'Thanks!' } });
   * ```
   */
  abstract render(view: string, data: object): Promise<string>;
}

/**
 * A message shown once on the next page, after a redirect.
 *
 * @example
 * ```ts
 * const done: Flash = { kind: 'success', message: 'Your kudo is on its way' };
 * ```
 */
export interface Flash {
  /** How the theme shows the message. */
  kind: 'success' | 'info' | 'warning' | 'error';
  /** A message key of the plugin's or theme's catalogue (or plain text), shown in the reader's language. */
  message: string;
  /** Values for the message's `{placeholders}`, e.g. `{ reason: 'Needs review' }`. */
  params?: Record<string, string | number>;
}

/** @internal Brand of a page answered with another status than 200. @example `PAGE_STATUS in value` */
export const PAGE_STATUS = Symbol.for('plein.page-status');

/**
 * Page data answered with another status than 200: a form shown again with its problems (422), a
 * conflict (409), a locked topic (423). The view renders as usual.
 *
 * @example
 * ```ts
 * if (problems.length) return withStatus({ title: 'polls.new.title', problems, values: body }, 422);
 * ```
 */
export function withStatus<T extends PageData>(data: T, status: number, headers?: Record<string, string>): T {
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new Error(`withStatus: expected an HTTP status 200–599, found ${status}`);
  return { ...data, [PAGE_STATUS]: { status, ...(headers ? { headers } : {}) } };
}

/** @internal Brand of {@link PageRedirect}. @example `PAGE_REDIRECT in value` */
export const PAGE_REDIRECT = Symbol.for('plein.page-redirect');

/**
 * What a page handler returns to send the browser elsewhere (303 See Other), with a flash.
 *
 * @example
 * ```ts
 * return redirect('/kudos', { kind: 'success', message: 'Thanks sent' });
 * ```
 */
export interface PageRedirect {
  readonly [PAGE_REDIRECT]: true;
  /** Where the browser goes next. */
  readonly url: string;
  /** A message shown once on the next page. */
  readonly flash?: Flash;
}

/**
 * Redirects after a form post (Post/Redirect/Get), showing `flash` on the next page.
 *
 * @example
 * ```ts
 * @Post()
 * @RequirePermission(kudosPermissions.give)
 * async give(@Body() body: GiveKudosDto, @CurrentUser() user: SignedInUser) {
 *   await this.kudos.give(user.id, body.toUserId, body.message);
 *   return redirect('/kudos', { kind: 'success', message: 'Thanks sent' });
 * }
 * ```
 */
export function redirect(url: string, flash?: Flash): PageRedirect {
  return Object.freeze({ [PAGE_REDIRECT]: true as const, url, ...(flash ? { flash } : {}) });
}
