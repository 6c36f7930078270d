import { HttpException } from '@nestjs/common';
import { InvalidInput, type FieldProblem, type Flash } from '@plein/sdk';
import { POST_MESSAGES } from '../services/post-text';

/**
 * The part of Fastify's reply a page handler uses (`@Res({ passthrough: true })`): a status other
 * than 200 for a form shown again (409, 422). The SDK's `Render` has no way to say it.
 */
export interface ReplyLike {
  status(code: number): ReplyLike;
}

/** A form as the views show it: values entered, and problems as catalogue keys. */
export interface MicroblogForm {
  values: Record<string, string>;
  errors: Record<string, Array<{ key: string | null; text: string; params: Record<string, unknown> }>>;
  summary: Array<{ field: string; key: string | null; text: string; params: Record<string, unknown> }>;
}

export function emptyForm(values: Record<string, string> = {}): MicroblogForm {
  return { values, errors: {}, summary: [] };
}

/** Form fields as strings (a repeated field keeps its last value); `_csrf` and buttons dropped. */
export function formValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    const raw = source[field];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

const KEYS: Array<[RegExp, string]> = [
  [new RegExp(`^${POST_MESSAGES.empty}$`), 'microblog.error.empty'],
  [/^must be at most (\d+) characters \(found (\d+)\)$/, 'microblog.error.tooLong'],
  [new RegExp(`^${POST_MESSAGES.control.replace(/[()]/g, '\\$&')}$`), 'microblog.error.control'],
  [/^must be valid text/, 'microblog.error.encoding'],
  [/^no such post, or you cannot see it$/, 'microblog.error.replyUnknown'],
  [/^a reply is posted in the space/, 'microblog.error.replySpace'],
  [/^a reply cannot be a question/, 'microblog.error.replyQuestion'],
  [/^is not the current version$/, 'microblog.error.stale'],
];

/** A problem's catalogue key and its parameters (the limit and count of a text too long). */
function keyOf(message: string): { key: string | null; params: Record<string, unknown> } {
  for (const [pattern, key] of KEYS) {
    const match = pattern.exec(message);
    if (match) return { key, params: match[1] ? { limit: Number(match[1]), count: Number(match[2]) } : {} };
  }
  return { key: null, params: {} };
}

/**
 * The form again with what a service refused (422, 409), or null for errors that are not about the
 * input (they become error pages as usual). A gate's reason is shown as it is.
 */
export function formFromError(
  error: unknown,
  values: Record<string, string>,
): { form: MicroblogForm; status: number } | null {
  let problems: FieldProblem[];
  let status: number;
  if (error instanceof InvalidInput) {
    problems = error.errors;
    status = 422;
  } else if (error instanceof HttpException && error.getStatus() === 409) {
    const response = error.getResponse() as { errors?: FieldProblem[]; detail?: string };
    problems = response.errors ?? [{ field: '_form', message: response.detail ?? error.message }];
    status = 409;
  } else return null;
  const form = emptyForm(values);
  for (const problem of problems) {
    const field = problem.field === 'text' ? 'body' : problem.field;
    const entry = { text: problem.message, ...keyOf(problem.message) };
    (form.errors[field] ??= []).push(entry);
    form.summary.push({ field, ...entry });
  }
  return { form, status };
}

/** A flash whose message is a catalogue key with parameters (core fills them in the reader's language). */
export function flash(kind: Flash['kind'], key: string, params: Record<string, string | number> = {}): Flash {
  // Core's flash carries `params`; the SDK's Flash type does not name them yet (see the README).
  return { kind, message: key, params } as Flash;
}

/** Where to send someone back after a form: a path of the microblog's own, else `fallback`. */
export function backTo(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length > 500) return fallback;
  if (!/^\/microblog(?:[/?#]|$)/.test(value) || /[\\\s]|\/\//.test(value)) return fallback;
  return value;
}
