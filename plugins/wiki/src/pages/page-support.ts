import { HttpException, UnauthorizedException } from '@nestjs/common';
import { InvalidInput, type FieldProblem, type SignedInUser } from '@plein/sdk';
import { WIKI_MESSAGES } from '../services/wiki-names';

/**
 * The part of Fastify's reply a page handler uses (`@Res({ passthrough: true })`): a status other
 * than 200 for a form shown again (409, 413, 422) and the 301 of an old address. The SDK's
 * `Render` has no way to say either (see the README, "SDK gaps").
 */
export interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
}

/** A form as the wiki's views show it: values entered, and problems as catalogue keys. */
export interface WikiForm {
  values: Record<string, unknown>;
  errors: Record<string, Array<{ key: string | null; text: string; limit?: unknown }>>;
  summary: Array<{ field: string; key: string | null; text: string; limit?: unknown }>;
}

const KEY_OF = new Map<string, string>([
  [WIKI_MESSAGES.titleEmpty, 'wiki.error.titleEmpty'],
  [WIKI_MESSAGES.titleTooLong, 'wiki.error.titleTooLong'],
  [WIKI_MESSAGES.titleControl, 'wiki.error.titleControl'],
  [WIKI_MESSAGES.slugInvalid, 'wiki.error.slugInvalid'],
  [WIKI_MESSAGES.slugTaken, 'wiki.error.slugTaken'],
  [WIKI_MESSAGES.summaryTooLong, 'wiki.error.summaryTooLong'],
  [WIKI_MESSAGES.parentUnknown, 'wiki.error.parentUnknown'],
  [WIKI_MESSAGES.parentOtherSpace, 'wiki.error.parentOtherSpace'],
  [WIKI_MESSAGES.tooDeep, 'wiki.error.tooDeep'],
  [WIKI_MESSAGES.templateUnknown, 'wiki.error.templateUnknown'],
  ['would make a cycle', 'wiki.error.cycle'],
]);

export function emptyForm(values: Record<string, unknown> = {}): WikiForm {
  return { values, errors: {}, summary: [] };
}

/** Form fields as strings (a repeated field keeps its last value); `_csrf` and buttons dropped. */
export function formValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    const raw = source[field];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string')
      values[field] = field === 'body' || field === 'resolved' ? value.replace(/\r\n/g, '\n') : value;
  }
  return values;
}

/**
 * The form again with what a service refused. Returns null for errors that are not about the
 * input (they become error pages as usual).
 */
export function formFromError(
  error: unknown,
  values: Record<string, unknown>,
): { form: WikiForm; status: number } | null {
  let problems: FieldProblem[];
  let status: number;
  if (error instanceof InvalidInput) {
    problems = error.errors;
    status = 422;
  } else if (error instanceof HttpException && (error.getStatus() === 413 || error.getStatus() === 409)) {
    const response = error.getResponse() as { errors?: FieldProblem[]; detail?: string };
    problems = response.errors ?? [{ field: '_form', message: response.detail ?? error.message }];
    status = error.getStatus();
  } else return null;
  const form = emptyForm(values);
  for (const raw of problems) {
    // A gate's rejection names the content's `text`, which is the page body here.
    const problem = raw.field === 'text' ? { ...raw, field: 'body' } : raw;
    const key =
      KEY_OF.get(problem.message) ??
      (problem.message.startsWith('is larger than the limit') ? 'wiki.error.bodyTooLarge' : null);
    const limit = /(\d+) bytes/.exec(problem.message)?.[1];
    const entry = { key, text: problem.message, ...(limit ? { limit: Number(limit) } : {}) };
    (form.errors[problem.field] ??= []).push(entry);
    form.summary.push({ field: problem.field, ...entry });
  }
  return { form, status };
}

export function signedIn(user: SignedInUser | null): SignedInUser {
  if (!user) throw new UnauthorizedException('Sign in to continue');
  return user;
}
