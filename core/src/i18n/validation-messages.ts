import type { FieldProblem } from '@plein/sdk';
import { getMetadataStorage, type ValidationError } from 'class-validator';
import type { I18n, MessageParams } from './i18n';

/** One problem with one field of a form, as a catalogue key and its parameters. */
export interface FieldError {
  field: string;
  key: string;
  params: MessageParams;
}

/** The constraint arguments class-validator keeps for a decorator (`@MaxLength(191)` → `[191]`). */
function constraintArgs(target: Function | undefined, property: string, name: string): unknown[] {
  if (!target) return [];
  const found = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((m) => m.propertyName === property && m.name === name);
  return found?.constraints ?? [];
}

/**
 * class-validator's errors as catalogue keys: `core.validation.<constraint>` with
 * `{constraint1}` (the decorator's first argument: a length, the allowed values, …).
 */
export function fromValidationErrors(errors: ValidationError[], target?: Function, parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.keys(e.constraints ?? {}).map((name) => {
      const args = constraintArgs(target, e.property, name);
      const first = args[0];
      return { field, key: `core.validation.${name}`, params: { constraint1: Array.isArray(first) ? first.join(', ') : first } };
    });
    return [...own, ...fromValidationErrors(e.children ?? [], undefined, field)];
  });
}

/**
 * What core's services say in English (`InvalidInput`), as catalogue keys. A message not listed
 * here is shown as it is.
 */
const SERVICE_MESSAGES: Array<[RegExp, string, (m: RegExpExecArray) => MessageParams]> = [
  [/^is already taken$/, 'core.validation.taken', () => ({})],
  [/^must be an e-mail address$/, 'core.validation.isEmail', () => ({})],
  [/^must be at least (\d+) characters$/, 'core.validation.minLength', (m) => ({ constraint1: Number(m[1]) })],
  [/^must be 2–32 characters: a-z, 0-9, _ \. -$/, 'core.validation.matches.handle', () => ({})],
  [/^must be 1–191 characters$/, 'core.validation.isNotEmpty', () => ({})],
  [/^must be 2–63 characters: a-z, 0-9 and dashes$/, 'core.validation.matches.slug', () => ({})],
  [/^must be 2–32 characters: a-z, 0-9 and dashes, starting with a letter$/, 'core.validation.matches.name', () => ({})],
  [/^you cannot suspend or deactivate yourself$/, 'core.validation.selfSuspend', () => ({})],
  [/^you cannot take the admin role from yourself$/, 'core.validation.selfDemote', () => ({})],
  [/^no role named '(.*)'$/, 'core.validation.unknownRole', (m) => ({ name: m[1] })],
  [/^no permission named '(.*)'$/, 'core.validation.unknownPermission', (m) => ({ name: m[1] })],
  [/^admin holds every permission and cannot be changed$/, 'core.validation.adminFixed', () => ({})],
  [/^Plein is already set up/, 'core.setup.done', () => ({})],
  [/^A space keeps at least one admin/, 'core.validation.lastAdmin', () => ({})],
  [/^This space is by invitation only/, 'core.validation.inviteOnly', () => ({})],
  [/^That person is not a member of this space$/, 'core.validation.notMember', () => ({})],
];

export function fromFieldProblems(problems: readonly FieldProblem[]): FieldError[] {
  return problems.map(({ field, message }) => {
    for (const [pattern, key, params] of SERVICE_MESSAGES) {
      const m = pattern.exec(message);
      if (m) return { field, key, params: params(m) };
    }
    return { field, key: message, params: {} };
  });
}

/**
 * The sentence shown under a field: the field-specific message when the catalogue has one
 * (`core.validation.matches.handle`), else the constraint's.
 */
export function describeFieldError(i18n: I18n, locale: string, error: FieldError): string {
  const specific = `${error.key}.${error.field}`;
  return i18n.has(specific, locale) ? i18n.t(locale, specific, error.params) : i18n.t(locale, error.key, error.params);
}

/** The field's label for an error summary: `core.field.<name>`, or the name itself. */
export function fieldLabel(i18n: I18n, locale: string, field: string): string {
  const key = `core.field.${field}`;
  return i18n.has(key, locale) ? i18n.t(locale, key) : field;
}
