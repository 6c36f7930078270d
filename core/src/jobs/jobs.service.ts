import { defineJob, Jobs, type EnqueueOptions, type JobDefinition, type JobInfo, type JobSchedule } from '@plein/sdk';
import type { JobProcessor, QueueBackend } from './queue-backend';

/** Core's job hub: the backend, every registered processor, and a `Jobs` per plugin. */
export class JobsService {
  readonly processors = new Map<string, JobProcessor>();

  constructor(
    readonly backend: QueueBackend,
    private readonly isActive: (queue: string) => boolean,
  ) {}

  register(processor: JobProcessor): void {
    const name = processor.definition.name;
    if (this.processors.has(name)) {
      throw new Error(`Job '${name}': expected one processor, found a second one in '${processor.queue}'`);
    }
    this.processors.set(name, processor);
  }

  forPlugin(pluginId: string): Jobs {
    return new PluginJobs(pluginId, this.backend);
  }

  startWorkers(): Promise<void> {
    return this.backend.startWorkers(this.processors, this.isActive);
  }

  runDue(): Promise<number> {
    return this.backend.runDue(this.processors, this.isActive);
  }
}

class PluginJobs extends Jobs {
  constructor(
    private readonly queue: string,
    private readonly backend: QueueBackend,
  ) {
    super();
  }

  private own<D>(job: JobDefinition<D>): JobDefinition<unknown> {
    if (!job.name.startsWith(`${this.queue}.`)) {
      throw new Error(`Plugin '${this.queue}': expected a job named '${this.queue}.…', found '${job.name}'`);
    }
    return job as JobDefinition<unknown>;
  }

  enqueue<D>(job: JobDefinition<D>, data: D, options?: EnqueueOptions): Promise<{ id: string }> {
    return this.backend.enqueue(this.queue, this.own(job), data, options);
  }

  schedule<D>(job: JobDefinition<D>, data: D, schedule: JobSchedule, key = 'default'): Promise<void> {
    return this.backend.schedule(this.queue, this.own(job), data, schedule, key);
  }

  unschedule(job: JobDefinition<unknown>, key = 'default'): Promise<void> {
    return this.backend.unschedule(this.queue, this.own(job), key);
  }

  list(filter: { state?: JobInfo['state']; limit?: number } = {}): Promise<JobInfo[]> {
    return this.backend.list(this.queue, filter);
  }
}

/** Core's own job: deliver one outbox row to its durable handler. */
export const deliverEventJob = defineJob<{ outboxId: string }>('core.deliver-event', {
  description: 'Deliver an event to a durable handler',
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  concurrency: 4,
});
