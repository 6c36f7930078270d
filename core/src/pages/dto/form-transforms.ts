import { Transform } from 'class-transformer';

/**
 * A form field that may repeat (checkboxes): always an array. A browser sends nothing when no box
 * is ticked, so give the property an initialiser (`= []`) as well.
 */
export function FormList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]));
}

/** An optional text field: an empty box counts as not given. */
export function BlankAsUndefined(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));
}
