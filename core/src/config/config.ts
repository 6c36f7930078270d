import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';

/** Where the database lives and what kind it is. */
export type DatabaseConfig = { engine: 'sqlite'; path: string } | { engine: 'mysql'; url: string; database: string };

/** Everything core needs to start, read from the environment and `plein.config.json`. */
export interface PleinConfig {
  /** Folder that `plein.config.json` and relative plugin paths are resolved against. */
  root: string;
  configPath: string | null;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** Plugin package names or paths, in the order given. */
  plugins: string[];
  /** Plugin ids allowed to boot although their `sdk` range does not match. */
  ignoreSdkRange: string[];
  secret: string;
  smtpUrl: string | null;
  /** Run job and durable-event workers in this process. */
  runWorkers: boolean;
  /** How often each instance re-reads shared state (plugin enablement), in ms. */
  statePollMs: number;
  /** Queue key prefix in Redis, so several installations can share one Redis. */
  queuePrefix: string;
  /** The theme used until an administrator chooses one (`PLEIN_THEME`, else the config file's `theme`). */
  theme: string;
  /** How long a running job stays locked to its worker; a dead worker's job is retried after it. */
  jobLockMs: number;
  /** How often BullMQ looks for jobs whose worker died. */
  jobStalledMs: number;
  /** The address people reach Plein at, for links in e-mail. */
  publicUrl: string;
  /** The search answer cache (docs/search.md): at most `cacheEntries` answers (0: no cache), each kept `cacheTtlMs` at most. */
  search: { cacheEntries: number; cacheTtlMs: number };
}

interface ConfigFile {
  plugins?: string[];
  ignoreSdkRange?: string[];
  theme?: string;
  search?: { cacheEntries?: number; cacheTtlMs?: number };
}

export class ConfigError extends Error {}

/** Parses `DATABASE_URL` (`sqlite:PATH` or `mysql://…`). */
export function parseDatabaseUrl(url: string, base: string): DatabaseConfig {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new ConfigError(`DATABASE_URL: expected sqlite:PATH, found "${url}"`);
    return { engine: 'sqlite', path: path === ':memory:' ? path : isAbsolute(path) ? path : resolve(base, path) };
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
    if (!database) throw new ConfigError(`DATABASE_URL: expected a database name in "${url}" (mysql://user:pass@host:3306/plein)`);
    return { engine: 'mysql', url: parsed.toString(), database };
  }
  throw new ConfigError(`DATABASE_URL: expected "sqlite:PATH" or "mysql://user:pass@host:port/db", found "${url}"`);
}

function readSecret(dataDir: string): string {
  const file = resolve(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** A setting that is a whole number ≥ 0 (from the environment or the config file). */
function wholeNumber(name: string, value: string | number): number {
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < 0) throw new ConfigError(`${name}: expected a whole number ≥ 0, found "${value}"`);
  return n;
}

function envFlag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

/**
 * Reads the configuration. Order of precedence: explicit overrides, environment variables,
 * `plein.config.json`, defaults.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<PleinConfig> = {}, cwd = process.cwd()): PleinConfig {
  const configPath = env.PLEIN_CONFIG ? resolve(cwd, env.PLEIN_CONFIG) : resolve(cwd, 'plein.config.json');
  let file: ConfigFile = {};
  const hasFile = existsSync(configPath);
  if (hasFile) {
    try {
      file = JSON.parse(readFileSync(configPath, 'utf8')) as ConfigFile;
    } catch (error) {
      throw new ConfigError(`${configPath}: expected valid JSON, found ${(error as Error).message}`);
    }
  } else if (env.PLEIN_CONFIG) {
    throw new ConfigError(`PLEIN_CONFIG points at ${configPath}, which does not exist`);
  }
  const root = hasFile ? dirname(configPath) : cwd;
  const dataDir = resolve(root, env.PLEIN_DATA_DIR ?? 'data');
  const database = parseDatabaseUrl(env.DATABASE_URL ?? `sqlite:${resolve(dataDir, 'plein.sqlite')}`, root);
  const plugins = env.PLEIN_PLUGINS !== undefined
    ? env.PLEIN_PLUGINS.split(',').map((p) => p.trim()).filter(Boolean)
    : (file.plugins ?? []);
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: expected a port number, found "${env.PORT}"`);
  const redisUrl = env.REDIS_URL || null;
  const search = {
    cacheEntries: wholeNumber('PLEIN_SEARCH_CACHE_ENTRIES', env.PLEIN_SEARCH_CACHE_ENTRIES ?? file.search?.cacheEntries ?? 1000),
    cacheTtlMs: wholeNumber('PLEIN_SEARCH_CACHE_TTL_MS', env.PLEIN_SEARCH_CACHE_TTL_MS ?? file.search?.cacheTtlMs ?? 60_000),
  };
  const dbName = database.engine === 'mysql' ? database.database : 'plein';
  const config: PleinConfig = {
    root,
    configPath: hasFile ? configPath : null,
    host: env.HOST ?? '0.0.0.0',
    port,
    dataDir,
    database,
    redisUrl,
    plugins,
    ignoreSdkRange: file.ignoreSdkRange ?? [],
    secret: env.PLEIN_SECRET ?? overrides.secret ?? readSecret(dataDir),
    smtpUrl: env.SMTP_URL || null,
    runWorkers: envFlag(env.PLEIN_WORKERS, true),
    statePollMs: Number(env.PLEIN_STATE_POLL_MS ?? 2000),
    queuePrefix: env.PLEIN_QUEUE_PREFIX ?? `plein-${dbName}`,
    theme: env.PLEIN_THEME || file.theme || 'default',
    jobLockMs: Number(env.PLEIN_JOB_LOCK_MS ?? 30_000),
    jobStalledMs: Number(env.PLEIN_JOB_STALLED_MS ?? 30_000),
    publicUrl: env.PLEIN_PUBLIC_URL ?? `http://localhost:${port}`,
    search,
  };
  return { ...config, ...overrides };
}
