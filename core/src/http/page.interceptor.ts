import { ForbiddenException, Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { METADATA } from '@plein/sdk';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { from, mergeMap, of, type Observable } from 'rxjs';
import { ANON_COOKIE } from '../auth/auth.service';
import { AnonymousPageCache } from '../views/anonymous-cache';
import { FLASH_COOKIE, PageContextBuilder, type PageFlash } from '../views/page-context';
import { isPageRedirect, localPath, PAGE_STATUS, type PageResult } from '../views/page-result';
import { ViewEngine } from '../views/view-engine';
import type { PleinRequest } from './access.guard';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TOKEN_SENT = Symbol('plein.form-token-sent');
const LOCALE = Symbol('plein.locale');

type PageRequest = PleinRequest & { [FORM_TOKEN_SENT]?: boolean; [LOCALE]?: string };

/**
 * A Fastify `preHandler` hook: notes whether a request carried a CSRF token (form field `_csrf` or
 * header `x-csrf-token`) before the access guard checks and strips it, so that an anonymous form
 * post without one can be refused (the guard checks anonymous tokens only when they are sent).
 */
export function rememberFormToken(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const body = request.body as Record<string, unknown> | undefined;
  if ((body && typeof body === 'object' && typeof body._csrf === 'string') || typeof request.headers['x-csrf-token'] === 'string') {
    (request as PageRequest)[FORM_TOKEN_SENT] = true;
  }
  done();
}

/** Whether a request is for the JSON API (problem details, no pages). */
export function isApiRequest(request: FastifyRequest): boolean {
  return request.url === '/api' || request.url.startsWith('/api/') || request.url.startsWith('/api?');
}

/** The locale the page interceptor chose for this request (`en` before it ran). */
export function localeOfRequest(request: FastifyRequest): string {
  return (request as PageRequest)[LOCALE] ?? 'en';
}

/**
 * Pages, for every route outside `/api`:
 * - picks the locale (the user's choice, else `Accept-Language`) before the handler runs;
 * - refuses a form post made without a CSRF token (the guard has already checked the ones sent);
 * - answers a `redirect(url, flash)` with 303 and leaves the flash in a short-lived cookie;
 * - renders the return value of a `@Render(view)` route inside the theme's layout, with the page
 *   context (user, navigation, csrf, flash, locale, title).
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ViewEngine) private readonly views: ViewEngine,
    @Inject(PageContextBuilder) private readonly pages: PageContextBuilder,
    @Inject(AnonymousPageCache) private readonly cache: AnonymousPageCache,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<PageRequest>();
    if (isApiRequest(request)) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    const state = request.plein ?? { user: null, via: 'none' as const };
    const locale = this.views.i18n.negotiate(state.user?.locale, request.headers['accept-language']);
    request[LOCALE] = locale;
    if (!SAFE_METHODS.has(request.method) && state.via === 'none' && !(request.cookies?.[ANON_COOKIE] && request[FORM_TOKEN_SENT])) {
      throw new ForbiddenException('The form expired or did not come from this site: reload the page and try again (CSRF token missing or wrong)');
    }
    const view = this.reflector.get<string | undefined>(METADATA.render, context.getHandler());
    // A page people who are not signed in may get from the anonymous cache (@AnonymousCache).
    const cacheSeconds =
      view && !state.user && request.method === 'GET' && !request.cookies?.[FLASH_COOKIE]
        ? this.reflector.get<number | undefined>(METADATA.anonymousCache, context.getHandler())
        : undefined;
    const cacheKey = cacheSeconds ? this.cache.key(locale, request.url) : null;
    const token = () => this.pages.csrfFor(request, reply, state.via);
    if (cacheKey) {
      const hit = this.cache.get(cacheKey, token);
      if (hit) {
        void reply.status(hit.status).type('text/html; charset=utf-8').header('cache-control', 'no-store');
        return of(hit.html);
      }
    }
    return next.handle().pipe(
      mergeMap((result: unknown) =>
        from(
          (async () => {
            if (isPageRedirect(result)) {
              if (result.flash) this.pages.setFlash(request, reply, result.flash as PageFlash);
              void reply.status(303).header('location', localPath(result.url) ?? '/');
              return '';
            }
            if (!view) return result;
            const data = (result ?? {}) as PageResult;
            const status = data[PAGE_STATUS];
            if (status) void reply.status(status.status).headers(status.headers ?? {});
            // Rendered with a placeholder for the CSRF token, filled with this browser's only when
            // the page holds a form: a page without one sets no anonymous cookie.
            const page = await this.pages.build(request, reply, state.user, state.via, locale, this.cache.tokenPlaceholder);
            void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
            const html = this.views.page(view, data, page);
            if (cacheKey && reply.statusCode === 200) this.cache.set(cacheKey, html, 200, cacheSeconds!);
            return this.cache.fill(html, token);
          })(),
        ),
      ),
    );
  }
}
