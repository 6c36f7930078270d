import { Injectable } from '@nestjs/common';
import { Contents, OnEvent, ProcessJob, type ContentEventPayload, type DeliveredEvent } from '@plein/sdk';
import { contentEvents } from '@plein/sdk';
import { endDueSanctions, NOTIFY } from '../events';
import { ModerationLog } from './moderation-log.service';
import { itemLabel, ModerationNotifier } from './notifier.service';
import { QueueService } from './queue.service';
import { SanctionsService } from './sanctions.service';

/**
 * What moderation does when content changes anywhere (core's `content.*` events, durable: at
 * least once, each handler idempotent), and the scheduled end of sanctions.
 */
@Injectable()
export class ContentEventsService {
  constructor(
    private readonly contents: Contents,
    private readonly queue: QueueService,
    private readonly log: ModerationLog,
    private readonly notifier: ModerationNotifier,
    private readonly sanctions: SanctionsService,
  ) {}

  /** Every held item enters the `held` lane, whichever gate held it; its author is told why. */
  @OnEvent(contentEvents.held, { durable: true })
  async onHeld(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    const p = event.payload;
    const record = await this.contents.get(p.contentId);
    // Decided (or deleted) before this delivery: nothing waits any more.
    if (!record || record.status !== 'pending') return;
    await this.queue.openHeld(
      { contentId: p.contentId, type: p.type, spaceId: p.spaceId, authorId: p.authorId },
      { reason: p.reason },
    );
    await this.notifier.send(
      [p.authorId],
      NOTIFY.held,
      p.reason ? 'moderation.notify.held' : 'moderation.notify.heldNoReason',
      { title: itemLabel(record), reason: p.reason ?? '' },
      '/moderation/history',
      p.contentId,
    );
  }

  /** Deleted content (by its author, or by its plugin) leaves the queue. */
  @OnEvent(contentEvents.deleted, { durable: true })
  async onDeleted(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    await this.close(event.payload, ['reports', 'held', 'appeals'], 'The content was deleted');
  }

  /** Held content published some other way (its plugin's own review) leaves the `held` lane. */
  @OnEvent(contentEvents.published, { durable: true })
  async onPublished(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    await this.close(event.payload, ['held'], 'The content was published');
  }

  @OnEvent(contentEvents.restored, { durable: true })
  async onRestored(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    await this.close(event.payload, ['held', 'appeals'], 'The content was restored');
  }

  private async close(
    p: ContentEventPayload,
    lanes: Array<'reports' | 'held' | 'appeals'>,
    why: string,
  ): Promise<void> {
    const closed = await this.queue.closeOpen(p.contentId, lanes, why);
    for (const item of closed) {
      await this.log.record({
        actor: null,
        actorRole: 'system',
        action: 'item.closed',
        itemId: item.id,
        contentId: p.contentId,
        userId: p.authorId,
        spaceId: p.spaceId,
        reason: why,
        details: { lane: item.lane, by: p.actorId },
      });
    }
  }

  @ProcessJob(endDueSanctions)
  async endSanctions(): Promise<void> {
    await this.sanctions.endDue();
  }
}
