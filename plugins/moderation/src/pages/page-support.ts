import { HttpException, UnauthorizedException } from '@nestjs/common';
import { InvalidInput, type FieldProblem, type SignedInUser } from '@plein/sdk';

/**
 * The part of Fastify's reply a page handler uses (`@Res({ passthrough: true })`): 422 for a form
 * shown again with its problems. The SDK's `Render` has no way to say it (README, "SDK gaps").
 */
export interface ReplyLike {
  status(code: number): ReplyLike;
}

/** One problem as a view shows it: a catalogue key when there is one, the service's text otherwise. */
export interface FormProblem {
  field: string;
  key: string;
  text: string;
}

/** A form as the views show it: values entered and problems by field. */
export interface PageForm {
  values: Record<string, unknown>;
  errors: Record<string, FormProblem[]>;
  summary: FormProblem[];
}

/** Services' messages → catalogue keys (the text itself stays beside it, in English, for details). */
const KEYS: Array<[RegExp, string]> = [
  [/^must say why/, 'moderation.error.reasonRequired'],
  [/^must not be empty$/, 'moderation.error.empty'],
  [/^must be at most (\d+) characters$/, 'moderation.error.tooLong'],
  [/^you cannot report your own content$/, 'moderation.error.ownContent'],
  [/^you cannot sanction yourself$/, 'moderation.error.self'],
  [/^must be in the future$/, 'moderation.error.future'],
  [/^a warning has no end date$/, 'moderation.error.warnUntil'],
  [/^must be a date/, 'moderation.error.date'],
  [/^must be after activeFrom$/, 'moderation.error.periodOrder'],
  [/backtrack catastrophically/, 'moderation.error.catastrophic'],
  [/^is not a valid regular expression/, 'moderation.error.regexSyntax'],
  [/^must not use backreferences/, 'moderation.error.backreference'],
  [/^must not use named groups/, 'moderation.error.namedGroup'],
  [/^matches empty text/, 'moderation.error.matchesEmpty'],
  [/^must be a word or phrase/, 'moderation.error.word'],
  [/^must be the name of a role$/, 'moderation.error.role'],
  [/^no space /, 'moderation.error.space'],
  [/^a held item is approved/, 'moderation.error.heldDismiss'],
  [/^an appeal of a sanction/, 'moderation.error.sanctionAppeal'],
  [/^nothing to appeal/, 'moderation.error.nothingToAppeal'],
  [/^this sanction was already lifted/, 'moderation.error.sanctionOver'],
  [/^must be one of|^must be '|must be 'approve'/, 'moderation.error.choice'],
  [/^must be a whole number of seconds/, 'moderation.error.seconds'],
  [/^give either contentId or sanctionId$/, 'moderation.error.invalid'],
  [/^no user/, 'moderation.error.user'],
];

export function keyOf(message: string): string {
  return KEYS.find(([pattern]) => pattern.test(message))?.[1] ?? 'moderation.error.invalid';
}

export function emptyForm(values: Record<string, unknown> = {}): PageForm {
  return { values, errors: {}, summary: [] };
}

/** Form fields as strings (a repeated field keeps its last value). */
export function formValues(body: unknown, fields: readonly string[]): Record<string, string> {
  const source = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    const raw = source[field];
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string') values[field] = value.replace(/\r\n/g, '\n');
  }
  return values;
}

/** A form built from problems, e.g. a 422 a service threw. */
export function formWith(values: Record<string, unknown>, problems: FieldProblem[]): PageForm {
  const form = emptyForm(values);
  for (const p of problems) {
    const problem = { field: p.field, key: keyOf(p.message), text: p.message };
    (form.errors[p.field] ??= []).push(problem);
    form.summary.push(problem);
  }
  return form;
}

/** The form again with what a service refused (422); null for other errors (error pages as usual). */
export function formFromError(
  error: unknown,
  values: Record<string, unknown>,
  fieldMap: Record<string, string> = {},
): PageForm | null {
  if (!(error instanceof InvalidInput)) {
    if (error instanceof HttpException && error.getStatus() === 422) {
      const response = error.getResponse() as { errors?: FieldProblem[]; detail?: string };
      return formWith(values, response.errors ?? [{ field: '_form', message: response.detail ?? error.message }]);
    }
    return null;
  }
  return formWith(
    values,
    error.errors.map((e) => ({ ...e, field: fieldMap[e.field] ?? e.field })),
  );
}

export function signedIn(user: SignedInUser | null): SignedInUser {
  if (!user) throw new UnauthorizedException('Sign in to continue');
  return user;
}

/** A local path to go back to (`next`), or the fallback: never another site. */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.includes('\\'))
    return fallback;
  if ([...next].some((c) => c.charCodeAt(0) < 0x20)) return fallback;
  return next.slice(0, 2000);
}

/** A `datetime-local` field (`2030-01-31T17:00`, read as UTC) or an ISO string, as ISO; '' stays absent. */
export function dateField(value: string | undefined): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00.000Z` : value;
}

/** An ISO time as a `datetime-local` value (UTC). */
export function localField(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16) : '';
}
