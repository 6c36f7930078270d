/** Injection token for the running {@link PleinConfig}. */
export const PLEIN_CONFIG = Symbol('PLEIN_CONFIG');
