import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Clock, EnqueueOptions, JobDefinition, JobInfo, JobSchedule } from '@plein/sdk';
import { CronExpressionParser } from 'cron-parser';
import { In, LessThan, LessThanOrEqual } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { JobRow, JobScheduleRow } from './job.entity';
import { backoffDelay, errorText, type JobProcessor, type QueueBackend } from './queue-backend';

export interface EmbeddedQueueOptions {
  pollMs?: number;
  /** How long a claimed job stays locked before another worker may take it over. */
  lockMs?: number;
  /** Jobs this process runs at once, over all names. */
  concurrency?: number;
}

/** Next run of a schedule after `from`. */
export function nextRun(schedule: { everyMs: number | null; pattern: string | null }, from: Date): Date {
  if (schedule.everyMs) return new Date(from.getTime() + schedule.everyMs);
  return CronExpressionParser.parse(schedule.pattern!, { currentDate: from, tz: 'UTC' }).next().toDate();
}

/**
 * The embedded queue: jobs are rows in `core_job`, worked in process. Enqueueing inside a
 * transaction writes the row in that transaction, so a job exists exactly when its cause does.
 */
export class EmbeddedQueue implements QueueBackend {
  readonly kind = 'embedded' as const;
  private readonly logger = new Logger('Jobs');
  private readonly pollMs: number;
  private readonly lockMs: number;
  private readonly concurrency: number;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly activeByName = new Map<string, number>();
  private processors = new Map<string, JobProcessor>();
  private isActive: (queue: string) => boolean = () => true;
  private ticking: Promise<void> | null = null;
  private lastStallCheck = 0;

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    options: EmbeddedQueueOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 500;
    this.lockMs = options.lockMs ?? 60_000;
    this.concurrency = options.concurrency ?? 8;
  }

  async enqueue(queue: string, job: JobDefinition<unknown>, data: unknown, options: EnqueueOptions = {}): Promise<{ id: string }> {
    const repo = this.db.repository(JobRow);
    if (options.jobId) {
      const existing = await repo.findOne({ where: { dedupeKey: options.jobId, status: In(['waiting', 'active']) } });
      if (existing) return { id: existing.id };
    }
    const now = this.clock.now();
    const row = repo.create({
      id: randomUUID(),
      queue,
      name: job.name,
      data: JSON.stringify(data ?? null),
      status: 'waiting',
      attempts: 0,
      maxAttempts: job.retry.attempts,
      backoffType: job.retry.backoff.type,
      backoffDelay: job.retry.backoff.delay,
      runAt: new Date(now.getTime() + (options.delay ?? 0)),
      lockedUntil: null,
      dedupeKey: options.jobId ?? null,
      lastError: null,
      createdAt: now,
      finishedAt: null,
    });
    await repo.insert(row);
    await this.db.afterCommit(() => this.wake());
    return { id: row.id };
  }

  async schedule(queue: string, job: JobDefinition<unknown>, data: unknown, schedule: JobSchedule, key: string): Promise<void> {
    if (schedule.pattern) CronExpressionParser.parse(schedule.pattern); // throws on a bad pattern
    const spec = { everyMs: schedule.every ?? null, pattern: schedule.pattern ?? null };
    await this.db.transaction(async (m) => {
      await m.delete(JobScheduleRow, { name: job.name, scheduleKey: key });
      await m.insert(JobScheduleRow, {
        id: randomUUID(),
        queue,
        name: job.name,
        scheduleKey: key,
        data: JSON.stringify(data ?? null),
        ...spec,
        nextRunAt: nextRun(spec, this.clock.now()),
      });
    });
  }

  async unschedule(_queue: string, job: JobDefinition<unknown>, key: string): Promise<void> {
    await this.db.repository(JobScheduleRow).delete({ name: job.name, scheduleKey: key });
  }

  async list(queue: string, filter: { state?: JobInfo['state']; limit?: number }): Promise<JobInfo[]> {
    const now = this.clock.now();
    const where: Record<string, unknown> = { queue };
    if (filter.state === 'delayed') Object.assign(where, { status: 'waiting' });
    else if (filter.state === 'waiting') Object.assign(where, { status: 'waiting', runAt: LessThanOrEqual(now) });
    else if (filter.state) Object.assign(where, { status: filter.state });
    const rows = await this.db.repository(JobRow).find({ where, order: { createdAt: 'DESC' }, take: Math.min(filter.limit ?? 50, 500) });
    return rows
      .filter((r) => filter.state !== 'delayed' || r.runAt > now)
      .map((r) => ({
        id: r.id,
        name: r.name,
        state: r.status === 'waiting' && r.runAt > now ? 'delayed' : r.status,
        attempts: r.attempts,
        data: JSON.parse(r.data) as unknown,
        error: r.lastError,
        createdAt: r.createdAt,
        finishedAt: r.finishedAt,
      }));
  }

  async startWorkers(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<void> {
    this.processors = processors;
    this.isActive = isActive;
    this.running = true;
    this.schedule_(0);
  }

  private schedule_(delay: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref?.();
  }

  private wake(): void {
    // After the current turn, so a caller's own after-commit work runs first.
    if (this.running) setImmediate(() => this.schedule_(0));
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = (async () => {
      try {
        const started = await this.claimAndStart(this.processors, this.isActive);
        this.schedule_(started > 0 ? 0 : this.pollMs);
      } catch (error) {
        this.logger.error(`queue poll failed: ${errorText(error)}`);
        this.schedule_(this.pollMs);
      }
    })();
    await this.ticking;
    this.ticking = null;
  }

  /** Fires due schedules, recovers stalled jobs, claims due jobs up to capacity and starts them. */
  private async claimAndStart(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<number> {
    const now = this.clock.now();
    await this.fireSchedules(now);
    if (Date.now() - this.lastStallCheck > Math.min(this.lockMs / 2, 5000)) {
      this.lastStallCheck = Date.now();
      await this.db.repository(JobRow).update({ status: 'active', lockedUntil: LessThan(now) }, { status: 'waiting', lockedUntil: null });
    }
    const capacity = this.concurrency - this.inFlight.size;
    if (capacity <= 0) return 0;
    const names = [...processors.values()].filter((p) => isActive(p.queue)).map((p) => p.definition.name);
    if (names.length === 0) return 0;
    const due = await this.db.repository(JobRow).find({
      where: { status: 'waiting', runAt: LessThanOrEqual(now), name: In(names) },
      order: { runAt: 'ASC' },
      take: capacity * 2,
    });
    let started = 0;
    for (const row of due) {
      if (started >= capacity) break;
      const processor = processors.get(row.name)!;
      if ((this.activeByName.get(row.name) ?? 0) >= processor.definition.concurrency) continue;
      const claimed = await this.db.repository(JobRow).update(
        { id: row.id, status: 'waiting' },
        { status: 'active', attempts: row.attempts + 1, lockedUntil: new Date(now.getTime() + this.lockMs) },
      );
      if (!claimed.affected) continue;
      started++;
      this.start({ ...row, attempts: row.attempts + 1 }, processor);
    }
    return started;
  }

  private start(row: JobRow, processor: JobProcessor): void {
    this.activeByName.set(row.name, (this.activeByName.get(row.name) ?? 0) + 1);
    const work = this.runOne(row, processor).finally(() => {
      this.inFlight.delete(row.id);
      this.activeByName.set(row.name, (this.activeByName.get(row.name) ?? 1) - 1);
      this.wake();
    });
    this.inFlight.set(row.id, work);
  }

  private async runOne(row: JobRow, processor: JobProcessor): Promise<void> {
    const repo = this.db.repository(JobRow);
    const heartbeat = setInterval(() => {
      void repo.update({ id: row.id, status: 'active' }, { lockedUntil: new Date(this.clock.now().getTime() + this.lockMs) });
    }, Math.max(1000, this.lockMs / 3));
    heartbeat.unref?.();
    try {
      await processor.run(JSON.parse(row.data), { id: row.id, name: row.name, attempt: row.attempts });
      await repo.update({ id: row.id }, { status: 'completed', finishedAt: this.clock.now(), lockedUntil: null, lastError: null });
    } catch (error) {
      const final = row.attempts >= row.maxAttempts;
      this.logger.warn(`[${processor.queue}] job ${row.name} ${row.id} attempt ${row.attempts}/${row.maxAttempts} failed: ${error instanceof Error ? error.message : String(error)}`);
      const now = this.clock.now();
      await repo.update(
        { id: row.id },
        final
          ? { status: 'failed', finishedAt: now, lockedUntil: null, lastError: errorText(error) }
          : { status: 'waiting', lockedUntil: null, lastError: errorText(error), runAt: new Date(now.getTime() + backoffDelay(row.backoffType, row.backoffDelay, row.attempts)) },
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async fireSchedules(now: Date): Promise<void> {
    const due = await this.db.repository(JobScheduleRow).find({ where: { nextRunAt: LessThanOrEqual(now) } });
    for (const schedule of due) {
      const processor = this.processors.get(schedule.name);
      await this.db.transaction(async (m) => {
        // Conditional on the old time, so two instances never fire the same run.
        const moved = await m.update(
          JobScheduleRow,
          { id: schedule.id, nextRunAt: schedule.nextRunAt },
          { nextRunAt: nextRun(schedule, now) },
        );
        if (!moved.affected || !processor) return;
        await this.enqueue(schedule.queue, processor.definition, JSON.parse(schedule.data));
      });
    }
  }

  async runDue(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<number> {
    this.processors = processors;
    this.isActive = isActive;
    let total = 0;
    for (let round = 0; round < 1000; round++) {
      const started = await this.claimAndStart(processors, isActive);
      await Promise.all(this.inFlight.values());
      total += started;
      if (started === 0 && this.inFlight.size === 0) break;
    }
    return total;
  }

  async close(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.ticking) await this.ticking;
    await Promise.all(this.inFlight.values());
  }
}
