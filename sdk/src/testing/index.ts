/**
 * `@plein/sdk/testing`: boot a real Plein (core plus the plugins under test) on a fresh database
 * per test file, drive it over HTTP, and tear it down.
 *
 * @packageDocumentation
 * @module \@plein/sdk/testing
 */
import type { Agent } from 'supertest';
import type { PluginDefinition } from '../plugin';
import type { SignedInUser } from '../users';
import type { DeliveredEvent } from '../events';

/**
 * A supertest agent bound to the test server.
 *
 * @example
 * ```ts
 * await intranet.http.get('/api/v1/health').expect(200);
 * ```
 */
export type TestHttp = Agent;

/**
 * A user made by {@link TestIntranet.createUser}, with an agent that authenticates as them.
 *
 * @example
 * ```ts
 * const ada = await intranet.createUser({ handle: 'ada' });
 * await ada.http.post('/api/v1/kudos').send({ toUserId: bob.user.id, message: 'Thanks' }).expect(201);
 * ```
 */
export interface TestUser {
  /** The user as a route's `@CurrentUser()` sees them. */
  user: SignedInUser;
  /** A personal access token for `Authorization: Bearer …`. */
  token: string;
  /** Every request sends the token. */
  http: TestHttp;
}

/**
 * A controllable clock for tests: it follows real time plus whatever `advance` added, or stands
 * still at the time `set` gave it.
 *
 * @example
 * ```ts
 * intranet.clock.advance(24 * 3600_000);
 * ```
 */
export interface TestClock {
  /** The time the intranet under test sees now. */
  now(): Date;
  /** Stands the clock still at `at` until the next `set` or `advance`. */
  set(at: Date): void;
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
}

/**
 * A running Plein for one test file.
 *
 * @example
 * ```ts
 * let intranet: TestIntranet;
 * beforeAll(async () => { intranet = await createTestIntranet({ plugins: [kudos] }); });
 * afterAll(() => intranet.close());
 * ```
 */
export interface TestIntranet {
  /** Anonymous HTTP (a supertest agent: it keeps the cookies the server sets). */
  readonly http: TestHttp;
  /**
   * A new anonymous agent with its own cookie jar (a second browser).
   *
   * @example
   * ```ts
   * const browser = intranet.agent();
   * await browser.post('/api/v1/auth/login').send({ email, password }).expect(200);
   * ```
   */
  agent(): TestHttp;
  /**
   * Starts listening on a free port on 127.0.0.1 (once) and returns the base URL, for a real
   * browser or another process to reach the intranet.
   *
   * @example
   * ```ts
   * const base = await intranet.url(); // 'http://127.0.0.1:41234'
   * await page.goto(`${base}/login`);
   * ```
   */
  url(): Promise<string>;
  /** The data folder of this intranet: mail written as `.eml` files lands in `<dataDir>/mail`. */
  readonly dataDir: string;
  /** `sqlite` or `mysql`: what this run uses (`DATABASE_URL` decides). */
  readonly engine: 'sqlite' | 'mysql';
  /** `embedded` or `bullmq` (`REDIS_URL` decides). */
  readonly queue: 'embedded' | 'bullmq';
  /** Every event published since boot, in order. */
  readonly events: DeliveredEvent[];
  /** The clock the intranet runs on: what `Clock.now()` answers in core and in the plugins. */
  readonly clock: TestClock;
  /**
   * Creates an active user (role `member` unless `roles` says otherwise) and a token for them.
   *
   * @example
   * ```ts
   * const admin = await intranet.createUser({ roles: ['admin'] });
   * ```
   */
  createUser(options?: { handle?: string; email?: string; displayName?: string; roles?: string[]; password?: string }): Promise<TestUser>;
  /**
   * Works every job and durable event delivery that is due, until nothing due is left;
   * returns how many ran.
   *
   * @example
   * ```ts
   * await intranet.runDueJobs();
   * ```
   */
  runDueJobs(): Promise<number>;
  /**
   * A service or provider from the running application.
   *
   * @example
   * ```ts
   * const db = intranet.get(Database);
   * ```
   */
  get<T>(token: abstract new (...args: never[]) => T): T;
  /** Stops the server, drains workers and drops the test database. */
  close(): Promise<void>;
}

/**
 * Options for {@link createTestIntranet}.
 *
 * @example
 * ```ts
 * const options: TestIntranetOptions = { plugins: [kudos], config: { ignoreSdkRange: [] } };
 * ```
 */
export interface TestIntranetOptions {
  /** Plugin definitions or package names, in any order. */
  plugins?: Array<PluginDefinition | string>;
  /**
   * `manual` (default): jobs run only in {@link TestIntranet.runDueJobs}. `auto`: workers poll
   * as in production.
   */
  jobs?: 'manual' | 'auto';
}

/**
 * Boots core with the given plugins on a fresh database (a SQLite file per call; a fresh MySQL
 * database when `DATABASE_URL` is MySQL) and returns a handle to drive it. `@plein/core` must be
 * installed (it is a development dependency of every plugin).
 *
 * @example
 * ```ts
 * import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
 * import kudos from '../src';
 *
 * let intranet: TestIntranet;
 * beforeAll(async () => { intranet = await createTestIntranet({ plugins: [kudos] }); });
 * afterAll(() => intranet.close());
 *
 * it('lists no kudos on a fresh install', async () => {
 *   const ada = await intranet.createUser();
 *   const res = await ada.http.get('/api/v1/kudos').expect(200);
 *   expect(res.body.items).toEqual([]);
 * });
 * ```
 */
export async function createTestIntranet(options: TestIntranetOptions = {}): Promise<TestIntranet> {
  // Core depends on the SDK, so the SDK reaches core at run time only (Backstage's
  // backend-test-utils does the same with its backend defaults).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const core = require('@plein/core/testing') as { bootTestIntranet(o: TestIntranetOptions): Promise<TestIntranet> };
  return core.bootTestIntranet(options);
}
