import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { EnqueueOptions, JobDefinition, JobInfo, JobSchedule } from '@plein/sdk';
import { DelayedError, Queue, Worker, type Job, type JobType } from 'bullmq';
import IORedis, { type Redis } from 'ioredis';
import type { DatabaseService } from '../database/database.service';
import { errorText, type JobProcessor, type QueueBackend } from './queue-backend';

const STATE_TO_BULL: Record<JobInfo['state'], JobType[]> = {
  waiting: ['waiting', 'prioritized'],
  delayed: ['delayed'],
  active: ['active'],
  completed: ['completed'],
  failed: ['failed'],
};

/**
 * BullMQ on Redis: one queue per plugin. Producers fail fast when Redis is down
 * (`enableOfflineQueue: false`) instead of hanging a request; workers wait for it.
 */
export class BullQueue implements QueueBackend {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('Jobs');
  private readonly producer: Redis;
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new Map<string, Worker>();
  /** Job name → the plugin whose queue it belongs to. */
  private readonly pluginOf = new Map<string, string>();
  private readonly workerConnections: Redis[] = [];
  private isActive: (queue: string) => boolean = () => true;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly db: DatabaseService,
    private readonly options: { lockMs?: number; stalledMs?: number } = {},
  ) {
    this.producer = new IORedis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.producer.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
  }

  /** Waits until the producer connection is up (boot fails fast with a clear message otherwise). */
  async connect(): Promise<void> {
    if (this.producer.status === 'ready') return;
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`REDIS_URL ${this.redisUrl}: expected Redis to answer within 5 s, found no answer`)), 5000);
      this.producer.once('ready', () => {
        clearTimeout(timer);
        resolveReady();
      });
    });
  }

  /** One BullMQ queue per job kind, so each kind gets its own concurrency and pause switch. */
  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.producer, prefix: this.prefix });
      queue.on('error', (error) => this.logger.warn(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(queue: string, job: JobDefinition<unknown>, data: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const id = options.jobId ?? randomUUID();
    this.pluginOf.set(job.name, queue);
    const add = async () => {
      const queue = this.queue(job.name);
      if (options.jobId) {
        // Dedupe only while a job waits or runs, as the embedded queue does: a finished job with
        // the same id is removed so the new one is added.
        const existing = await queue.getJob(id);
        if (existing && ['completed', 'failed'].includes(await existing.getState())) await existing.remove();
      }
      await queue.add(job.name, data ?? null, {
        jobId: id,
        delay: options.delay,
        attempts: job.retry.attempts,
        backoff: job.retry.backoff,
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 7 * 86400 },
      });
    };
    await this.db.afterCommit(add);
    return { id };
  }

  async schedule(queue: string, job: JobDefinition<unknown>, data: unknown, schedule: JobSchedule, key: string): Promise<void> {
    this.pluginOf.set(job.name, queue);
    await this.queue(job.name).upsertJobScheduler(
      `${job.name}:${key}`,
      schedule.every ? { every: schedule.every } : { pattern: schedule.pattern, tz: 'UTC' },
      { name: job.name, data: data ?? null, opts: { attempts: job.retry.attempts, backoff: job.retry.backoff } },
    );
  }

  async unschedule(_queue: string, job: JobDefinition<unknown>, key: string): Promise<void> {
    await this.queue(job.name).removeJobScheduler(`${job.name}:${key}`);
  }

  async list(queue: string, filter: { state?: JobInfo['state']; limit?: number }): Promise<JobInfo[]> {
    const states = filter.state ? STATE_TO_BULL[filter.state] : (['waiting', 'delayed', 'active', 'completed', 'failed'] as JobType[]);
    const limit = Math.min(filter.limit ?? 50, 500);
    const names = [...this.pluginOf].filter(([, plugin]) => plugin === queue).map(([name]) => name);
    const jobs = (await Promise.all(names.map((name) => this.queue(name).getJobs(states, 0, limit - 1)))).flat();
    const infos = await Promise.all(jobs.filter(Boolean).map(async (j) => this.info(j)));
    return infos.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, limit);
  }

  private async info(job: Job): Promise<JobInfo> {
    const state = await job.getState();
    return {
      id: String(job.id),
      name: job.name,
      state: state === 'prioritized' || state === 'waiting-children' ? 'waiting' : (state as JobInfo['state']),
      attempts: job.attemptsMade,
      data: job.data,
      error: job.failedReason ?? null,
      createdAt: new Date(job.timestamp),
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
    };
  }

  async startWorkers(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<void> {
    this.isActive = isActive;
    for (const [name, processor] of processors) {
      if (this.workers.has(name)) continue;
      this.pluginOf.set(name, processor.queue);
      this.queue(name);
      const connection = new IORedis(this.redisUrl, { maxRetriesPerRequest: null });
      this.workerConnections.push(connection);
      const worker = new Worker(
        name,
        async (job, token) => {
          // A fetch already in flight when the plugin was disabled still hands over a job: put it back.
          if (!this.isActive(processor.queue)) {
            await job.moveToDelayed(Date.now() + 1000, token);
            throw new DelayedError();
          }
          await processor.run(job.data, { id: String(job.id), name: job.name, attempt: job.attemptsMade + 1 });
        },
        {
          connection,
          prefix: this.prefix,
          concurrency: processor.definition.concurrency,
          lockDuration: this.options.lockMs ?? 30_000,
          stalledInterval: this.options.stalledMs ?? 30_000,
          autorun: false,
        },
      );
      worker.on('failed', (job, error) => {
        if (job) this.logger.warn(`[${processor.queue}] job ${job.name} ${job.id} attempt ${job.attemptsMade} failed: ${error.message}`);
      });
      worker.on('error', (error) => this.logger.warn(`worker ${name}: ${errorText(error)}`));
      this.workers.set(name, worker);
      if (!isActive(processor.queue)) void worker.pause(true);
      void worker.run();
    }
  }

  onStateChange(): void {
    for (const [name, worker] of this.workers) {
      const active = this.isActive(this.pluginOf.get(name) ?? 'core');
      if (active && worker.isPaused()) worker.resume();
      else if (!active && !worker.isPaused()) void worker.pause(true);
    }
  }

  async runDue(): Promise<number> {
    // Workers run in this process; wait until every queue has nothing waiting or running.
    let seen = 0;
    for (let i = 0; i < 600; i++) {
      let busy = 0;
      for (const queue of this.queues.values()) {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
        busy += counts.waiting + counts.active + counts.prioritized;
      }
      if (busy === 0) return seen;
      seen = Math.max(seen, busy);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('runDueJobs: the BullMQ queues did not drain within 30 s');
  }

  /** Removes this installation's queues from Redis (test teardown). */
  async obliterate(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.obliterate({ force: true }).catch(() => undefined)));
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.producer.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const connection of this.workerConnections) connection.disconnect();
    this.producer.disconnect();
  }
}
