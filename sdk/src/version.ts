/**
 * The version of `@plein/sdk` that is running. Core checks each plugin's `sdk` range against it.
 *
 * @example
 * ```ts
 * import { SDK_VERSION } from '@plein/sdk';
 * console.log(SDK_VERSION); // '1.0.0'
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const SDK_VERSION: string = (require('../package.json') as { version: string }).version;
