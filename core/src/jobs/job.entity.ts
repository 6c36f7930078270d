import { Column, Entity, PrimaryColumn } from 'typeorm';

export type JobStatus = 'waiting' | 'active' | 'completed' | 'failed';

/** A job of the embedded (database-backed) queue. */
@Entity('core_job')
export class JobRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) queue: string;
  @Column({ type: 'varchar', length: 191 }) name: string;
  @Column({ type: 'text' }) data: string;
  @Column({ type: 'varchar', length: 16 }) status: JobStatus;
  @Column({ type: 'int' }) attempts: number;
  @Column({ name: 'max_attempts', type: 'int' }) maxAttempts: number;
  @Column({ name: 'backoff_type', type: 'varchar', length: 16 }) backoffType: 'fixed' | 'exponential';
  @Column({ name: 'backoff_delay', type: 'int' }) backoffDelay: number;
  @Column({ name: 'run_at', type: 'datetime', precision: 3 }) runAt: Date;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true }) lockedUntil: Date | null;
  @Column({ name: 'dedupe_key', type: 'varchar', length: 191, nullable: true }) dedupeKey: string | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'finished_at', type: 'datetime', precision: 3, nullable: true }) finishedAt: Date | null;
}

/** A repeating schedule of the embedded queue. */
@Entity('core_job_schedule')
export class JobScheduleRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) queue: string;
  @Column({ type: 'varchar', length: 191 }) name: string;
  @Column({ name: 'schedule_key', type: 'varchar', length: 191 }) scheduleKey: string;
  @Column({ type: 'text' }) data: string;
  @Column({ name: 'every_ms', type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | number | null) => (v === null ? null : Number(v)) } })
  everyMs: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) pattern: string | null;
  @Column({ name: 'next_run_at', type: 'datetime', precision: 3 }) nextRunAt: Date;
}
