import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { EventBus, type Clock, type DeliveredEvent, type EventDefinition, type JobContext } from '@plein/sdk';
import { LessThan } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { deliverEventJob, type JobsService } from '../jobs/jobs.service';
import { errorText } from '../jobs/queue-backend';
import { OutboxRow } from './outbox.entity';

/** One discovered `@OnEvent` handler. */
export interface EventHandlerRegistration {
  /** Stable across restarts: `<pluginId>:<Class>.<method>`. */
  key: string;
  pluginId: string;
  eventName: string;
  durable: boolean;
  attempts: number;
  invoke(event: DeliveredEvent): Promise<void>;
}

/**
 * Events after commit: sync handlers in process, durable handlers through an outbox written in
 * the publishing transaction and delivered by the job queue, at least once, once per event id.
 */
export class EventBusService {
  private readonly logger = new Logger('Events');
  private readonly handlers = new Map<string, EventHandlerRegistration[]>();
  private readonly byKey = new Map<string, EventHandlerRegistration>();
  /** Observers of every delivered event (the test harness records them). */
  readonly observers: Array<(event: DeliveredEvent) => void> = [];

  constructor(
    private readonly db: DatabaseService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly isActive: (pluginId: string) => boolean,
  ) {
    jobs.register({
      queue: 'core',
      definition: deliverEventJob as never,
      run: (data, context) => this.deliverDurable((data as { outboxId: string }).outboxId, context),
    });
  }

  register(handler: EventHandlerRegistration): void {
    this.handlers.set(handler.eventName, [...(this.handlers.get(handler.eventName) ?? []), handler]);
    this.byKey.set(handler.key, handler);
  }

  forPlugin(pluginId: string): EventBus {
    const publish = <P>(event: EventDefinition<P>, payload: P) => this.publish(pluginId, event, payload);
    const hasHandlers = (event: EventDefinition<any>) => this.hasHandlers(event.name);
    return new (class extends EventBus {
      publish<P>(event: EventDefinition<P>, payload: P): Promise<void> {
        return publish(event, payload);
      }
      hasHandlers(event: EventDefinition<any>): boolean {
        return hasHandlers(event);
      }
    })();
  }

  /** Whether an active (installed, booted, enabled) plugin handles the event named `eventName`. */
  hasHandlers(eventName: string): boolean {
    return (this.handlers.get(eventName) ?? []).some((h) => this.isActive(h.pluginId));
  }

  async publish<P>(publisher: string, definition: EventDefinition<P>, payload: P): Promise<void> {
    const event: DeliveredEvent<P> = { id: randomUUID(), name: definition.name, payload, publisher, occurredAt: this.clock.now() };
    const durable = (this.handlers.get(event.name) ?? []).filter((h) => h.durable && this.isActive(h.pluginId));
    if (durable.length === 0 && !this.db.inTransaction()) {
      await this.deliverSync(event);
      return;
    }
    await this.db.transaction(async (manager) => {
      for (const handler of durable) {
        const row: OutboxRow = {
          id: randomUUID(),
          eventId: event.id,
          eventName: event.name,
          publisher,
          pluginId: handler.pluginId,
          handler: handler.key,
          payload: JSON.stringify(payload ?? null),
          occurredAt: event.occurredAt,
          status: 'pending',
          attempts: 0,
          lastError: null,
          deliveredAt: null,
        };
        await manager.insert(OutboxRow, row);
        await this.jobs.backend.enqueue('core', { ...deliverEventJob, retry: { ...deliverEventJob.retry, attempts: handler.attempts } } as never, { outboxId: row.id }, { jobId: row.id });
      }
      await this.db.afterCommit(() => this.deliverSync(event));
    });
  }

  private async deliverSync(event: DeliveredEvent): Promise<void> {
    for (const observe of this.observers) observe(event);
    for (const handler of this.handlers.get(event.name) ?? []) {
      if (handler.durable || !this.isActive(handler.pluginId)) continue;
      try {
        await handler.invoke(event);
      } catch (error) {
        this.logger.error(`[${handler.pluginId}] handler ${handler.key} failed on ${event.name} ${event.id}: ${errorText(error)}`);
      }
    }
  }

  /**
   * Delivers one outbox row. The handler runs in the same transaction that marks the row
   * delivered, so its writes and the mark commit together: a repeated delivery finds the row
   * delivered and does nothing.
   */
  async deliverDurable(outboxId: string, context: JobContext & { maxAttempts?: number }): Promise<void> {
    try {
      await this.db.transaction(async (m) => {
        const claimed = await m.update(OutboxRow, { id: outboxId, status: 'pending' }, { status: 'delivered', deliveredAt: this.clock.now(), attempts: context.attempt });
        if (!claimed.affected) return;
        const row = await m.findOneByOrFail(OutboxRow, { id: outboxId });
        const handler = this.byKey.get(row.handler);
        if (!handler || !this.isActive(row.pluginId)) {
          await m.update(OutboxRow, { id: outboxId }, { status: 'skipped', lastError: handler ? 'plugin disabled' : 'handler no longer installed' });
          return;
        }
        await handler.invoke({ id: row.eventId, name: row.eventName, payload: JSON.parse(row.payload), publisher: row.publisher, occurredAt: row.occurredAt });
      });
    } catch (error) {
      const row = await this.db.repository(OutboxRow).findOneBy({ id: outboxId });
      const handler = row ? this.byKey.get(row.handler) : undefined;
      const final = context.attempt >= (handler?.attempts ?? deliverEventJob.retry.attempts);
      await this.db.repository(OutboxRow).update({ id: outboxId, status: 'pending' }, { attempts: context.attempt, lastError: errorText(error), ...(final ? { status: 'failed' as const } : {}) });
      this.logger.error(`[${row?.pluginId ?? '?'}] durable handler ${row?.handler ?? '?'} failed on ${row?.eventName ?? '?'} (attempt ${context.attempt}): ${errorText(error)}`);
      throw error;
    }
  }

  /**
   * Re-enqueues outbox rows still pending after `olderThanMs` (a producer that died between
   * commit and enqueue, a queue that lost a job). Deliveries stay once-only: the job id is the
   * row id and the delivery is conditional on the row being pending.
   */
  async sweep(olderThanMs = 10_000): Promise<number> {
    const stale = await this.db.repository(OutboxRow).find({
      where: { status: 'pending', occurredAt: LessThan(new Date(this.clock.now().getTime() - olderThanMs)) },
      take: 500,
    });
    for (const row of stale) {
      const handler = this.byKey.get(row.handler);
      await this.jobs.backend.enqueue('core', { ...deliverEventJob, retry: { ...deliverEventJob.retry, attempts: handler?.attempts ?? 5 } } as never, { outboxId: row.id }, { jobId: row.id });
    }
    return stale.length;
  }
}
