/**
 * `@plein/core`: the application that implements `@plein/sdk`. Plugins never import it; the CLI,
 * the test harness and operators' scripts do.
 */
export { bootPlein, BootError, type BootOptions, type RunningPlein } from './app/boot';
export { loadConfig, parseDatabaseUrl, ConfigError, type PleinConfig } from './config/config';
export { migrateUp, migrateDown, pendingMigrations, type MigrationSet } from './database/migrations';
export { coreMigrations } from './database/migrations/index';
export { discoverPlugins } from './plugins/discovery';
export { validatePlugins, describeProblem } from './plugins/validation';
export { SystemClock, ManualClock } from './clock';
