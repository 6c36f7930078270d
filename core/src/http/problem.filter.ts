import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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

/**
 * Every error leaves as `application/problem+json`. Anything not an HttpException is a bug:
 * it is logged with its stack and answered with a 500 that leaks nothing.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    if (exception instanceof HttpException) {
      const body = toProblem(exception, request.url);
      const retryAfter = (exception.getResponse() as { retryAfter?: number })?.retryAfter;
      sendProblem(reply, body, retryAfter ? { 'retry-after': String(retryAfter) } : {});
      return;
    }
    const status = (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // Errors Fastify raised while reading the request (malformed JSON, body too large).
      sendProblem(reply, problem(status, (exception as Error).message, { instance: request.url }));
      return;
    }
    this.logger.error(`${request.method} ${request.url}: ${exception instanceof Error ? exception.stack : String(exception)}`);
    sendProblem(reply, problem(500, 'Something went wrong on our side; it has been logged.', { instance: request.url }));
  }
}
