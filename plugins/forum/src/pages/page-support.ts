import { HttpException, UnauthorizedException } from '@nestjs/common';
import { InvalidInput, type FieldProblem, type SignedInUser } from '@plein/sdk';
import { FORUM_MESSAGES } from '../services/forum-names';

/**
 * The part of Fastify's reply a page handler uses (`@Res({ passthrough: true })`): a status other
 * than 200 for a form shown again (409, 413, 422, 423). The SDK's `Render` has no way to say it
 * (see the README, "SDK gaps").
 */
export interface ReplyLike {
  status(code: number): ReplyLike;
}

/** A form as the forum's views show it: values entered, and problems as catalogue keys. */
export interface ForumForm {
  values: Record<string, unknown>;
  errors: Record<string, Array<{ key: string | null; text: string; limit?: unknown }>>;
  summary: Array<{ field: string; key: string | null; text: string; limit?: unknown }>;
}

const KEY_OF = new Map<string, string>([
  [FORUM_MESSAGES.empty, 'forum.error.empty'],
  [FORUM_MESSAGES.titleTooLong, 'forum.error.titleTooLong'],
  [FORUM_MESSAGES.oneLine, 'forum.error.oneLine'],
  [FORUM_MESSAGES.nameTooLong, 'forum.error.nameTooLong'],
  [FORUM_MESSAGES.descriptionTooLong, 'forum.error.descriptionTooLong'],
  [FORUM_MESSAGES.reasonTooLong, 'forum.error.reasonTooLong'],
  [FORUM_MESSAGES.slugInvalid, 'forum.error.slugInvalid'],
  [FORUM_MESSAGES.slugTaken, 'forum.error.slugTaken'],
  [FORUM_MESSAGES.tagInvalid, 'forum.error.tagInvalid'],
  [FORUM_MESSAGES.categoryUnknown, 'forum.error.categoryUnknown'],
  [FORUM_MESSAGES.parentUnknown, 'forum.error.parentUnknown'],
  [FORUM_MESSAGES.parentNested, 'forum.error.parentNested'],
  [FORUM_MESSAGES.parentHasChildren, 'forum.error.parentHasChildren'],
  [FORUM_MESSAGES.parentOtherSpace, 'forum.error.parentOtherSpace'],
  [FORUM_MESSAGES.otherSpace, 'forum.error.otherSpace'],
  [FORUM_MESSAGES.spaceHasTopics, 'forum.error.spaceHasTopics'],
  [FORUM_MESSAGES.postUnknown, 'forum.error.postUnknown'],
  [FORUM_MESSAGES.postIsOpening, 'forum.error.postIsOpening'],
  [FORUM_MESSAGES.quoteUnknown, 'forum.error.quoteUnknown'],
  [FORUM_MESSAGES.topicUnknown, 'forum.error.topicUnknown'],
  [FORUM_MESSAGES.sameTopic, 'forum.error.sameTopic'],
  [FORUM_MESSAGES.grantRole, 'forum.error.grantRole'],
  [FORUM_MESSAGES.untilPast, 'forum.error.untilPast'],
  [FORUM_MESSAGES.untilInvalid, 'forum.error.untilInvalid'],
  [FORUM_MESSAGES.noPosts, 'forum.error.noPosts'],
]);

export function emptyForm(values: Record<string, unknown> = {}): ForumForm {
  return { values, errors: {}, summary: [] };
}

/** Form fields as strings (a repeated field keeps its last value); `_csrf` and buttons dropped. */
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

/** A field that may repeat (checkboxes), as a list of strings. */
export function formList(body: unknown, field: string): string[] {
  const raw = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

/**
 * The form again with what a service refused (422, 413, 409, 423). Returns null for errors that
 * are not about the input (they become error pages as usual).
 */
export function formFromError(
  error: unknown,
  values: Record<string, unknown>,
  textField = 'body',
): { form: ForumForm; status: number } | null {
  let problems: FieldProblem[];
  let status: number;
  if (error instanceof InvalidInput) {
    problems = error.errors;
    status = 422;
  } else if (error instanceof HttpException && [409, 413, 423].includes(error.getStatus())) {
    const response = error.getResponse() as { errors?: FieldProblem[]; detail?: string };
    problems = response.errors ?? [{ field: '_form', message: response.detail ?? error.message }];
    status = error.getStatus();
  } else return null;
  const form = emptyForm(values);
  for (const raw of problems) {
    // A gate's rejection names the content's `text`: the post's body here.
    const problem = raw.field === 'text' ? { ...raw, field: textField } : raw;
    const key =
      KEY_OF.get(problem.message) ??
      (problem.message.startsWith('is larger than the limit')
        ? 'forum.error.bodyTooLarge'
        : problem.message.startsWith('has more tags')
          ? 'forum.error.tooManyTags'
          : null);
    const limit = /(\d+)/.exec(problem.message)?.[1];
    const entry = { key, text: problem.message, ...(limit ? { limit: Number(limit) } : {}) };
    (form.errors[problem.field] ??= []).push(entry);
    form.summary.push({ field: problem.field, ...entry });
  }
  return { form, status };
}

export function signedInPage(user: SignedInUser | null): SignedInUser {
  if (!user) throw new UnauthorizedException('Sign in to continue');
  return user;
}
