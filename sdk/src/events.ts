import { SetMetadata } from '@nestjs/common';
import { DEFINITION_KIND, METADATA } from './metadata';

/**
 * A typed event name. Make one with {@link defineEvent}; the payload type travels with it so
 * publishers and handlers agree at compile time.
 *
 * @example
 * ```ts
 * export const kudosGiven: EventDefinition<{ kudoId: string }> = defineEvent('kudos.kudo.given');
 * ```
 */
export interface EventDefinition<Payload = unknown> {
  readonly [DEFINITION_KIND]: 'event';
  /** `<pluginId>.<noun>.<verb-in-past-tense>`, e.g. `forum.topic.created`. */
  readonly name: string;
  /** What happened, in one sentence, for the people who read the plugin's events. */
  readonly description?: string;
  /** Never set: carries the payload type. */
  readonly __payload?: Payload;
}

/**
 * Declares an event a plugin publishes. List it in the plugin's `events`.
 *
 * @example
 * ```ts
 * export const kudosGiven = defineEvent<{ kudoId: string; toUserId: string }>('kudos.kudo.given', {
 *   description: 'Someone thanked a colleague',
 * });
 * ```
 */
export function defineEvent<Payload>(name: string, options: { description?: string } = {}): EventDefinition<Payload> {
  return Object.freeze({ [DEFINITION_KIND]: 'event' as const, name, description: options.description });
}

/**
 * An event as a handler receives it.
 *
 * @example
 * ```ts
 * async onKudos(event: DeliveredEvent<{ kudoId: string }>) {
 *   console.log(event.id, event.payload.kudoId);
 * }
 * ```
 */
export interface DeliveredEvent<Payload = unknown> {
  /** Unique per publication; durable handlers use it to stay idempotent. */
  readonly id: string;
  /** The event's name, as in its {@link EventDefinition}. */
  readonly name: string;
  /** What the publisher passed to {@link EventBus.publish}. */
  readonly payload: Payload;
  /** The plugin that published it (`core` for core events). */
  readonly publisher: string;
  /** When it was published. */
  readonly occurredAt: Date;
}

/**
 * Publishes events. Delivery happens after the surrounding {@link Database.transaction} commits;
 * nothing is delivered when it rolls back. Outside a transaction, delivery is immediate.
 *
 * @example
 * ```ts
 * constructor(private readonly events: EventBus) {}
 * await this.events.publish(kudosGiven, { kudoId: kudo.id, toUserId });
 * ```
 */
export abstract class EventBus {
  /**
   * Publishes `payload` as `event`. Durable handlers are recorded in the outbox in the current
   * transaction; synchronous handlers run after commit.
   *
   * @example
   * ```ts
   * await events.publish(kudosGiven, { kudoId: '1', toUserId: '2' });
   * ```
   */
  abstract publish<Payload>(event: EventDefinition<Payload>, payload: Payload): Promise<void>;

  /**
   * Whether a plugin that is installed and enabled right now handles `event` (sync or durable).
   * A plugin that offers an action through another plugin's extension point asks this to show the
   * action only when someone will act on it: the answer follows enabling and disabling at run time.
   *
   * @example
   * ```ts
   * import { wikiPromotionRequested } from '@plein/plugin-wiki';
   * if (!this.events.hasHandlers(wikiPromotionRequested)) throw new NotFoundException('The wiki is not enabled');
   * ```
   */
  abstract hasHandlers(event: EventDefinition<any>): boolean;
}

/**
 * How an event handler is delivered.
 *
 * @example
 * ```ts
 * const options: EventHandlerOptions = { durable: true };
 * ```
 */
export interface EventHandlerOptions {
  /**
   * `false` (default): in process, after commit; a failure is logged with the plugin id and
   * does not affect the publisher or other handlers. `true`: written to the outbox inside the
   * publishing transaction and delivered through the job queue with retries, at least once;
   * the handler runs in a transaction of its own and must be idempotent by `event.id`.
   */
  durable?: boolean;
  /** Attempts before a durable delivery is marked failed (default 5). */
  attempts?: number;
}

/**
 * What {@link OnEvent} records on a method; core reads it to wire handlers.
 *
 * @example
 * ```ts
 * const list: EventHandlerMetadata[] = Reflect.getMetadata(METADATA.eventHandler, KudosService.prototype.count);
 * ```
 * @internal
 */
export interface EventHandlerMetadata {
  event: EventDefinition<unknown>;
  options: EventHandlerOptions;
}

/**
 * Marks a provider method as a handler of `event`. The provider must be listed in the plugin's
 * `providers`. Handlers of a disabled plugin do not run.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class KudosCounter {
 *   @OnEvent(kudosGiven, { durable: true })
 *   async count(event: DeliveredEvent<{ toUserId: string }>) { ... }
 * }
 * ```
 */
export function OnEvent<Payload>(event: EventDefinition<Payload>, options: EventHandlerOptions = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const list: EventHandlerMetadata[] = Reflect.getMetadata(METADATA.eventHandler, descriptor.value as object) ?? [];
    SetMetadata(METADATA.eventHandler, [...list, { event, options }])(target, key, descriptor);
  };
}
