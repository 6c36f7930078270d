/**
 * A plugin's settings, stored in the database, validated with the plugin's `settings` class
 * (class-validator) on save. Each plugin sees its own.
 *
 * @example
 * ```ts
 * export class KudosSettings {
 *   @IsInt() @Min(1) dailyLimit = 10;
 * }
 * // in a provider:
 * constructor(private readonly settings: Settings) {}
 * const { dailyLimit } = await this.settings.get<KudosSettings>();
 * ```
 */
export abstract class Settings {
  /**
   * The current values: stored values over the defaults of the settings class.
   *
   * @example
   * ```ts
   * const s = await settings.get<KudosSettings>();
   * ```
   */
  abstract get<T extends object>(): Promise<T>;

  /**
   * Validates and stores new values (unknown keys and invalid values are refused with a 422
   * naming the field) and returns the result.
   *
   * @example
   * ```ts
   * await settings.update<KudosSettings>({ dailyLimit: 5 });
   * ```
   */
  abstract update<T extends object>(values: Partial<T>): Promise<T>;
}
