import type { EnqueueOptions, JobContext, JobDefinition, JobInfo, JobSchedule } from '@plein/sdk';

/** A registered job processor, bound to its plugin's queue. */
export interface JobProcessor {
  /** The queue: the owning plugin's id, or `core`. */
  queue: string;
  definition: JobDefinition<unknown>;
  run(data: unknown, context: JobContext): Promise<void>;
}

/** The two queue implementations (embedded database queue, BullMQ) behind the SDK's `Jobs`. */
export interface QueueBackend {
  readonly kind: 'embedded' | 'bullmq';
  enqueue(queue: string, job: JobDefinition<unknown>, data: unknown, options?: EnqueueOptions): Promise<{ id: string }>;
  schedule(queue: string, job: JobDefinition<unknown>, data: unknown, schedule: JobSchedule, key: string): Promise<void>;
  unschedule(queue: string, job: JobDefinition<unknown>, key: string): Promise<void>;
  list(queue: string, filter: { state?: JobInfo['state']; limit?: number }): Promise<JobInfo[]>;
  /** Starts polling/consuming. `isActive(queue)` is false for a disabled plugin: its jobs wait. */
  startWorkers(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<void>;
  /** Works what is due now until nothing due is left (tests and `manual` mode). */
  runDue(processors: Map<string, JobProcessor>, isActive: (queue: string) => boolean): Promise<number>;
  /** Stops taking work and waits for the jobs in hand to finish. */
  close(): Promise<void>;
  /** Called when a plugin's state changes, so workers can pause or resume. */
  onStateChange?(): void;
}

export function backoffDelay(type: 'fixed' | 'exponential', delay: number, attempt: number): number {
  return type === 'fixed' ? delay : delay * 2 ** Math.max(0, attempt - 1);
}

export function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
