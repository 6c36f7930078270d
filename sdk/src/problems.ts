import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * One invalid field in a problem response.
 *
 * @example
 * ```ts
 * const e: FieldProblem = { field: 'message', message: 'must be at most 280 characters' };
 * ```
 */
export interface FieldProblem {
  /** The name of the invalid field in the request, e.g. `title`. */
  field: string;
  /** What is wrong with it, for the person who filled it in. */
  message: string;
}

/**
 * A 422 naming the fields that are wrong. Core turns it into an RFC 9457 problem response
 * (`application/problem+json`) with an `errors` list.
 *
 * @example
 * ```ts
 * if (toUserId === user.id) throw new InvalidInput([{ field: 'toUserId', message: 'you cannot thank yourself' }]);
 * ```
 */
export class InvalidInput extends HttpException {
  constructor(
    readonly errors: FieldProblem[],
    detail = errors.map((e) => `${e.field}: ${e.message}`).join('; '),
  ) {
    super({ title: 'Invalid input', detail, errors }, HttpStatus.UNPROCESSABLE_ENTITY);
  }
}

/**
 * A 409: the request conflicts with the current state (a stale edit, a duplicate).
 *
 * @example
 * ```ts
 * throw new Conflict('The page changed since you opened it', { current });
 * ```
 */
export class Conflict extends HttpException {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super({ title: 'Conflict', detail, ...extra }, HttpStatus.CONFLICT);
  }
}
