/**
 * The current time. Inject it instead of calling `new Date()` so tests can move time
 * (`intranet.clock.set(...)` in `@plein/sdk/testing`).
 *
 * @example
 * ```ts
 * constructor(private readonly clock: Clock) {}
 * const expired = pin.until !== null && pin.until < this.clock.now();
 * ```
 */
export abstract class Clock {
  /**
   * Now.
   *
   * @example
   * ```ts
   * clock.now().toISOString();
   * ```
   */
  abstract now(): Date;
}
