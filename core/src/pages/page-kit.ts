import { createParamDecorator, HttpException, UnauthorizedException, type ExecutionContext, type Type } from '@nestjs/common';
import { InvalidInput, PAGE_REDIRECT, type FieldProblem, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { localeOfRequest } from '../http/page.interceptor';
import type { I18n, MessageParams } from '../i18n/i18n';
import { describeFieldError, fieldLabel, fromFieldProblems, fromValidationErrors, type FieldError } from '../i18n/validation-messages';
import type { PageFlash } from '../views/page-context';
import { localPath, withStatus, type PageResult } from '../views/page-result';

/** The locale the page interceptor chose for this request. */
export const PageLocale = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => localeOfRequest(ctx.switchToHttp().getRequest<FastifyRequest>()));

/** A form body as Fastify parsed it: strings, and arrays for repeated names. */
export type FormBody = Record<string, unknown>;

/** What a form view needs to show itself again: the values entered and the problems, translated. */
export interface FormState {
  values: Record<string, unknown>;
  /** Field → its problems, in the reader's language. */
  errors: Record<string, string[]>;
  /** Every problem, for the summary at the top of the form (`field` is `_form` for the whole form). */
  summary: Array<{ field: string; label: string; message: string }>;
}

/** Fields never sent back to the browser when a form is shown again. */
const SECRET_FIELDS = /password|confirm|current|token/i;

const scalar = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/**
 * A body as a browser form sends it: each field a string, or a list of strings for a repeated
 * name. Anything else a program might post (objects, deep nesting, `null`) is dropped here, before
 * it reaches class-transformer or a template.
 */
export function formInput(body: unknown): Record<string, string | string[]> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const input: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf' || k === '__proto__') continue;
    const value = Array.isArray(v) ? v.map(scalar).filter((x): x is string => x !== undefined) : scalar(v);
    if (value !== undefined) input[k] = value;
  }
  return input;
}

/** What a form shows again: strings and lists of strings only (never passwords, never objects). */
function keptValues(body: FormBody | undefined): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(formInput(body)).filter(
      ([k, v]) => !SECRET_FIELDS.test(k) && (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))),
    ),
  );
}

export function emptyForm(values: Record<string, unknown> = {}): FormState {
  return { values, errors: {}, summary: [] };
}

/** A form state showing `problems` (catalogue keys) beside the values entered. */
export function formWithErrors(i18n: I18n, locale: string, body: FormBody | undefined, problems: FieldError[]): FormState {
  const form = emptyForm(keptValues(body));
  for (const problem of problems) {
    const message = describeFieldError(i18n, locale, problem);
    (form.errors[problem.field] ??= []).push(message);
    form.summary.push({ field: problem.field, label: problem.field === '_form' ? '' : fieldLabel(i18n, locale, problem.field), message });
  }
  return form;
}

/** A form state for one problem with the whole form (wrong password, link expired). */
export function formError(i18n: I18n, locale: string, body: FormBody | undefined, key: string, params: MessageParams = {}): FormState {
  return formWithErrors(i18n, locale, body, [{ field: '_form', key, params }]);
}

/**
 * Validates a form body with a class-validator DTO (unknown fields are dropped, not refused: a
 * form's buttons have names too). On success the DTO instance; else the form state to show again.
 */
export async function readForm<T extends object>(dto: Type<T>, body: FormBody | undefined, i18n: I18n, locale: string): Promise<{ ok: true; value: T } | { ok: false; form: FormState }> {
  const instance = plainToInstance(dto, formInput(body));
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: false });
  if (errors.length) return { ok: false, form: formWithErrors(i18n, locale, body, fromValidationErrors(errors, dto)) };
  return { ok: true, value: instance };
}

/** The form shown again with status 422. */
export function invalid(data: PageData, form: FormState, status = 422, headers?: Record<string, string>): PageResult {
  return withStatus({ ...data, form }, status, headers);
}

/**
 * Runs a form's action; when a service refuses the input (`InvalidInput`, a 409), shows the form
 * again with the reason instead of an error page.
 */
export async function attempt<R>(
  action: () => Promise<R>,
  i18n: I18n,
  locale: string,
  body: FormBody | undefined,
  again: (form: FormState, status: number) => Promise<PageResult> | PageResult,
): Promise<R | PageResult> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof InvalidInput) return again(formWithErrors(i18n, locale, body, fromFieldProblems(error.errors)), 422);
    if (error instanceof HttpException && error.getStatus() === 409) {
      const response = error.getResponse() as { detail?: string; message?: string } | string;
      const detail = typeof response === 'string' ? response : (response.detail ?? response.message ?? '');
      return again(formWithErrors(i18n, locale, body, fromFieldProblems([{ field: '_form', message: detail }] as FieldProblem[])), 409);
    }
    throw error;
  }
}

/** Post/Redirect/Get with a flash whose message is a catalogue key. */
export function flashRedirect(url: string, kind: PageFlash['kind'], key: string, params: NonNullable<PageFlash['params']> = {}): PageRedirect {
  const flash: PageFlash = { kind, message: key, params };
  return Object.freeze({ [PAGE_REDIRECT]: true as const, url, flash });
}

/**
 * The signed-in user a route needs. A permission an administrator granted to anonymous visitors
 * does not make an account page work without an account: they are sent to sign in.
 */
export function signedIn(user: SignedInUser | null): SignedInUser {
  if (!user) throw new UnauthorizedException('Sign in to continue');
  return user;
}

/** `url` as a link target when it is a page of this site or an http(s) address, else null. */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  if (localPath(url)) return url;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}
