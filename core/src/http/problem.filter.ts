import { Catch, HttpException, Inject, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { SignedInUser } from '@plein/sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { describeFieldError, fieldLabel, fromFieldProblems } from '../i18n/validation-messages';
import { PageContextBuilder, pathOf } from '../views/page-context';
import { ViewEngine } from '../views/view-engine';
import type { PleinRequest } from './access.guard';
import { isApiRequest } from './page.interceptor';
import { problem, type Problem } from './problem';

/** Turns what an HttpException carries into a problem document. */
export function toProblem(exception: HttpException, instance?: string): Problem {
  const status = exception.getStatus();
  const body = exception.getResponse();
  if (typeof body === 'string') return problem(status, body, { instance });
  const { message, error: _error, statusCode: _statusCode, title, detail, ...rest } = body as Record<string, unknown>;
  const text = typeof detail === 'string' ? detail : Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : undefined;
  return { ...problem(status, text, { instance }), ...(typeof title === 'string' ? { title } : {}), ...rest } as Problem;
}

export function sendProblem(reply: FastifyReply, body: Problem, headers: Record<string, string> = {}): void {
  void reply.status(body.status).headers(headers).type('application/problem+json').send(JSON.stringify(body));
}

/** Statuses with their own words in the theme's catalogue (`core.error.<status>.*`). */
const KNOWN_STATUSES = new Set([400, 403, 404, 409, 410, 413, 422, 423, 429, 500]);

/**
 * Every error under `/api` leaves as `application/problem+json`. Outside `/api` people get a page
 * through the theme: 401 sends them to sign in (`/login?next=…`), others an error page in their
 * language. Anything not an HttpException is a bug: it is logged with its stack and answered with
 * a 500 that leaks nothing.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');
  constructor(
    @Inject(ViewEngine) private readonly views: ViewEngine,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PageContextBuilder) private readonly pages: PageContextBuilder,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    let body: Problem;
    let headers: Record<string, string> = {};
    if (exception instanceof HttpException) {
      body = toProblem(exception, request.url);
      const retryAfter = (exception.getResponse() as { retryAfter?: number })?.retryAfter;
      if (retryAfter) headers = { 'retry-after': String(retryAfter) };
    } else {
      const status = (exception as { statusCode?: number })?.statusCode;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        // Errors Fastify raised while reading the request (malformed JSON, body too large).
        body = problem(status, (exception as Error).message, { instance: request.url });
      } else {
        this.logger.error(`${request.method} ${request.url}: ${exception instanceof Error ? exception.stack : String(exception)}`);
        body = problem(500, 'Something went wrong on our side; it has been logged.', { instance: request.url });
      }
    }
    if (isApiRequest(request) || reply.sent) {
      sendProblem(reply, body, headers);
      return;
    }
    this.sendPage(request as PleinRequest, reply, body, headers).catch((error: Error) => {
      this.logger.error(`error page for ${request.method} ${request.url}: ${error.stack}`);
      if (!reply.sent) sendProblem(reply, body, headers);
    });
  }

  /** The error as a page of the theme, in the visitor's language. */
  private async sendPage(request: PleinRequest, reply: FastifyReply, body: Problem, headers: Record<string, string>): Promise<void> {
    const user = await this.userOf(request);
    if (body.status === 401 && !user) {
      const next = request.method === 'GET' ? request.url : pathOf(request);
      void reply.status(303).header('location', `/login?next=${encodeURIComponent(next)}`).send('');
      return;
    }
    const locale = this.views.i18n.negotiate(user?.locale, request.headers['accept-language']);
    const i18n = this.views.i18n;
    const status = KNOWN_STATUSES.has(body.status) ? body.status : body.status >= 500 ? 500 : 400;
    const csrf = body.status === 403 && /CSRF|Cross-site|cannot change anything here/.test(body.detail ?? '');
    const retryAfter = Number(headers['retry-after']);
    const page = await this.pages.build(request, reply, user, request.plein?.via ?? (user ? 'session' : 'none'), locale);
    const html = this.views.page(
      'core/error',
      {
        title: i18n.t(locale, `core.error.${status}.title`),
        status: body.status,
        text: csrf ? i18n.t(locale, 'core.error.csrf') : i18n.t(locale, `core.error.${status}.text`, { minutes: Math.max(1, Math.ceil(retryAfter / 60)) }),
        retryAfter: retryAfter > 0 ? retryAfter : null,
        errors: fromFieldProblems(body.errors ?? []).map((e) => ({ field: fieldLabel(i18n, locale, e.field), message: describeFieldError(i18n, locale, e) })),
      },
      page,
    );
    void reply.status(body.status).headers(headers).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
  }

  private async userOf(request: PleinRequest): Promise<SignedInUser | null> {
    if (request.plein) return request.plein.user;
    // The guard did not run (no such route): find who is asking, for the navigation.
    const session = request.cookies?.[SESSION_COOKIE];
    return session ? this.auth.userForSession(session).catch(() => null) : null;
  }
}
