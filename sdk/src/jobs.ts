import { SetMetadata } from '@nestjs/common';
import { DEFINITION_KIND, METADATA } from './metadata';

/**
 * Retry policy of a job.
 *
 * @example
 * ```ts
 * const retry: JobRetry = { attempts: 5, backoff: { type: 'exponential', delay: 1000 } };
 * ```
 */
export interface JobRetry {
  /** Total attempts including the first (default 3). */
  attempts?: number;
  /** Delay before a retry: `fixed` waits `delay` ms, `exponential` waits `delay * 2^(attempt-1)` ms. */
  backoff?: { type: 'fixed' | 'exponential'; delay: number };
}

/**
 * A named kind of background work with a typed payload. Make one with {@link defineJob}.
 *
 * @example
 * ```ts
 * export const sendThanks: JobDefinition<{ kudoId: string }> = defineJob('kudos.send-thanks');
 * ```
 */
export interface JobDefinition<Data = unknown> {
  readonly [DEFINITION_KIND]: 'job';
  /** `<pluginId>.<verb-noun>`, e.g. `forum.reindex-topic`. */
  readonly name: string;
  /** What the job does, in one sentence. */
  readonly description?: string;
  /** The retry policy, with the defaults filled in. */
  readonly retry: Required<JobRetry>;
  /** How many of this job one worker runs at once (default 1). */
  readonly concurrency: number;
  /** Never set: carries the data type. */
  readonly __data?: Data;
}

/**
 * Declares a job. List it in the plugin's `jobs` and process it with {@link ProcessJob}.
 *
 * @example
 * ```ts
 * export const sendThanks = defineJob<{ kudoId: string }>('kudos.send-thanks', {
 *   description: 'Tell the receiver of kudos',
 *   attempts: 5,
 *   backoff: { type: 'exponential', delay: 500 },
 * });
 * ```
 */
export function defineJob<Data>(
  name: string,
  options: JobRetry & { description?: string; concurrency?: number } = {},
): JobDefinition<Data> {
  return Object.freeze({
    [DEFINITION_KIND]: 'job' as const,
    name,
    description: options.description,
    retry: { attempts: options.attempts ?? 3, backoff: options.backoff ?? { type: 'exponential', delay: 1000 } },
    concurrency: options.concurrency ?? 1,
  });
}

/**
 * What a job processor receives besides its data.
 *
 * @example
 * ```ts
 * @ProcessJob(sendThanks)
 * async send(data: { kudoId: string }, job: JobContext) {
 *   if (job.attempt > 1) console.log('retrying', job.id);
 * }
 * ```
 */
export interface JobContext {
  /** The job's id, the same on every attempt. */
  readonly id: string;
  /** The job's name, as in its {@link JobDefinition}. */
  readonly name: string;
  /** 1 on the first run, 2 on the first retry, … */
  readonly attempt: number;
}

/**
 * Options for one enqueued job.
 *
 * @example
 * ```ts
 * await jobs.enqueue(sendThanks, { kudoId }, { delay: 60_000, jobId: `thanks:${kudoId}` });
 * ```
 */
export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  delay?: number;
  /** Deduplicates: a job with the same id that is still waiting or running is not added again. */
  jobId?: string;
}

/**
 * A repeating schedule: every `every` milliseconds, or on a cron `pattern` (5 or 6 fields, UTC).
 *
 * @example
 * ```ts
 * const nightly: JobSchedule = { pattern: '0 3 * * *' };
 * const often: JobSchedule = { every: 60_000 };
 * ```
 */
export type JobSchedule = { every: number; pattern?: never } | { pattern: string; every?: never };

/**
 * Job state as shown to administrators.
 *
 * @example
 * ```ts
 * const failed = (await jobs.list({ state: 'failed' })).filter((j) => j.name === 'kudos.send-thanks');
 * ```
 */
export interface JobInfo {
  /** The job's id. */
  id: string;
  /** The job's name, as in its {@link JobDefinition}. */
  name: string;
  /** Waiting to run, delayed until a later time, running, done, or failed after its last retry. */
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed';
  /** How many times it has run so far. */
  attempts: number;
  /** The data it was enqueued with. */
  data: unknown;
  /** The message of its last failure, or null. */
  error: string | null;
  /** When it was enqueued. */
  createdAt: Date;
  /** When it completed or finally failed; null until then. */
  finishedAt: Date | null;
}

/**
 * Background work. The embedded backend (default) keeps jobs in the database and works them in
 * process; with `REDIS_URL` set, BullMQ on Redis, worked by `plein worker`. Same API on both.
 *
 * @example
 * ```ts
 * constructor(private readonly jobs: Jobs) {}
 * await this.jobs.enqueue(sendThanks, { kudoId: kudo.id });
 * await this.jobs.schedule(cleanup, {}, { pattern: '0 3 * * *' });
 * ```
 */
export abstract class Jobs {
  /**
   * Adds one job. Inside a {@link Database.transaction} the job is added after commit.
   *
   * @example
   * ```ts
   * const { id } = await jobs.enqueue(sendThanks, { kudoId: '42' });
   * ```
   */
  abstract enqueue<Data>(job: JobDefinition<Data>, data: Data, options?: EnqueueOptions): Promise<{ id: string }>;

  /**
   * Runs `job` repeatedly. Calling it again with the same job and key replaces the schedule.
   *
   * @example
   * ```ts
   * await jobs.schedule(cleanup, {}, { every: 3_600_000 });
   * ```
   */
  abstract schedule<Data>(job: JobDefinition<Data>, data: Data, schedule: JobSchedule, key?: string): Promise<void>;

  /**
   * Stops a repeating schedule made by {@link Jobs.schedule}.
   *
   * @example
   * ```ts
   * await jobs.unschedule(cleanup);
   * ```
   */
  abstract unschedule(job: JobDefinition<unknown>, key?: string): Promise<void>;

  /**
   * Lists this plugin's jobs, newest first.
   *
   * @example
   * ```ts
   * const failed = await jobs.list({ state: 'failed', limit: 20 });
   * ```
   */
  abstract list(filter?: { state?: JobInfo['state']; limit?: number }): Promise<JobInfo[]>;
}

/**
 * Marks a provider method as the processor of `job`. It receives the data and a
 * {@link JobContext}; throwing fails the attempt (it is retried per the job's policy).
 *
 * @example
 * ```ts
 * @Injectable()
 * export class ThanksSender {
 *   @ProcessJob(sendThanks)
 *   async send(data: { kudoId: string }) { ... }
 * }
 * ```
 */
export function ProcessJob<Data>(job: JobDefinition<Data>): MethodDecorator {
  return SetMetadata(METADATA.jobProcessor, job);
}
