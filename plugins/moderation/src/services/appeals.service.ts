import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  type FieldProblem,
  type SignedInUser,
} from '@plein/sdk';
import { randomUUID } from 'node:crypto';
import { ModerationItem } from '../entities/moderation-item.entity';
import { moderationAppealCreated } from '../events';
import { ModerationLog } from './moderation-log.service';
import { openKey, QueueService, type QueueItemView } from './queue.service';
import { SanctionsService } from './sanctions.service';

/** What may still be appealed, for the history page. */
export interface Appealable {
  /** Decided items (hide, delete) not appealed yet, by content id. */
  contentIds: Set<string>;
  sanctionIds: Set<string>;
}

/**
 * Appeals: the author of moderated content (or a sanctioned person) asks once per decision for
 * another look. The appeal waits in the `appeals` lane, where the moderator who decided cannot
 * see or decide it.
 */
@Injectable()
export class AppealsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly log: ModerationLog,
    private readonly queue: QueueService,
    private readonly sanctions: SanctionsService,
  ) {}

  async appeal(
    user: SignedInUser,
    input: { contentId?: string | null; sanctionId?: string | null; text: string },
  ): Promise<QueueItemView> {
    const problems: FieldProblem[] = [];
    const text = typeof input.text === 'string' ? input.text.trim() : '';
    if (!text) problems.push({ field: 'text', message: 'must say why the decision should change' });
    if ([...text].length > 2000) problems.push({ field: 'text', message: 'must be at most 2000 characters' });
    if (!input.contentId === !input.sanctionId)
      problems.push({ field: 'contentId', message: 'give either contentId or sanctionId' });
    if (problems.length) throw new InvalidInput(problems);
    const now = this.clock.now();
    let item: ModerationItem;
    if (input.contentId) {
      const record = await this.contents.get(input.contentId);
      // Only the author appeals; to anyone else the item is as good as absent.
      if (!record || record.authorId !== user.id) throw new NotFoundException();
      const decided = await this.queue.lastDecisionAgainst(record.id);
      if (!decided) {
        throw new InvalidInput([
          { field: 'contentId', message: 'nothing to appeal: no moderator decided to hide or delete this' },
        ]);
      }
      if (await this.db.repository(ModerationItem).existsBy({ appealKey: `item:${decided.id}` })) {
        throw new Conflict('You already appealed this decision; each decision is appealed once');
      }
      if (record.status !== 'hidden' && record.status !== 'deleted') {
        throw new InvalidInput([{ field: 'contentId', message: 'nothing to appeal: this is visible again' }]);
      }
      item = {
        id: randomUUID(),
        lane: 'appeals',
        status: 'open',
        openKey: openKey('appeals', record.id),
        contentId: record.id,
        contentType: record.type,
        spaceId: record.spaceId,
        authorId: user.id,
        reason: decided.decisionReason,
        reportCount: 0,
        autoHidden: false,
        routeRole: decided.routeRole,
        ruleId: null,
        claimedBy: null,
        claimedAt: null,
        excludedModeratorId: decided.decidedBy,
        appealKey: `item:${decided.id}`,
        appealOfItemId: decided.id,
        sanctionId: null,
        appealText: text,
        decision: null,
        decisionReason: null,
        decidedBy: null,
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
      };
    } else {
      const sanction = await this.sanctions.find(input.sanctionId!);
      if (!sanction || sanction.userId !== user.id) throw new NotFoundException();
      if (await this.db.repository(ModerationItem).existsBy({ appealKey: `sanction:${sanction.id}` })) {
        throw new Conflict('You already appealed this sanction; each decision is appealed once');
      }
      if (sanction.endReason !== null) {
        throw new InvalidInput([
          { field: 'sanctionId', message: 'nothing to appeal: this sanction was lifted or has ended' },
        ]);
      }
      item = {
        id: randomUUID(),
        lane: 'appeals',
        status: 'open',
        openKey: openKey('appeals', `sanction:${sanction.id}`),
        contentId: null,
        contentType: null,
        spaceId: null,
        authorId: user.id,
        reason: sanction.reason,
        reportCount: 0,
        autoHidden: false,
        routeRole: null,
        ruleId: null,
        claimedBy: null,
        claimedAt: null,
        excludedModeratorId: sanction.createdBy,
        appealKey: `sanction:${sanction.id}`,
        appealOfItemId: null,
        sanctionId: sanction.id,
        appealText: text,
        decision: null,
        decisionReason: null,
        decidedBy: null,
        decidedAt: null,
        createdAt: now,
        updatedAt: now,
      };
    }
    await this.db.transaction(async () => {
      try {
        await this.db.repository(ModerationItem).insert(item);
      } catch (error) {
        if (/UNIQUE|Duplicate/i.test((error as Error).message))
          throw new Conflict('You already appealed this decision; each decision is appealed once');
        throw error;
      }
      await this.log.record({
        actor: user,
        actorRole: 'member',
        action: 'appeal.created',
        itemId: item.id,
        contentId: item.contentId,
        userId: user.id,
        spaceId: item.spaceId,
        reason: text,
        details: item.sanctionId ? { sanctionId: item.sanctionId } : { appealOf: item.appealOfItemId },
      });
      await this.events.publish(moderationAppealCreated, {
        itemId: item.id,
        contentId: item.contentId,
        sanctionId: item.sanctionId,
        userId: user.id,
      });
    });
    return (await this.queue.describe([item]))[0];
  }

  /** Which of a person's decided items and sanctions they may still appeal. */
  async appealable(userId: string): Promise<Appealable> {
    const decided = await this.db
      .repository(ModerationItem)
      .createQueryBuilder('i')
      .where('i.author_id = :userId', { userId })
      .andWhere("i.status = 'decided'")
      .andWhere("i.decision IN ('hide', 'delete')")
      .andWhere("i.lane <> 'appeals'")
      .orderBy('i.decided_at', 'DESC')
      .limit(200)
      .getMany();
    const keys = [...decided.map((d) => `item:${d.id}`)];
    const sanctions = (await this.sanctions.of(userId)).filter((s) => s.endReason === null);
    keys.push(...sanctions.map((s) => `sanction:${s.id}`));
    const appealed = keys.length
      ? new Set(
          (
            await this.db
              .repository(ModerationItem)
              .createQueryBuilder('i')
              .select('i.appeal_key', 'key')
              .where('i.appeal_key IN (:...keys)', { keys })
              .getRawMany<{ key: string }>()
          ).map((r) => r.key),
        )
      : new Set<string>();
    const contentIds = new Set<string>();
    const latest = new Set<string>();
    for (const d of decided) {
      // Only the latest decision about an item is appealable.
      if (!d.contentId || latest.has(d.contentId)) continue;
      latest.add(d.contentId);
      if (!appealed.has(`item:${d.id}`)) contentIds.add(d.contentId);
    }
    const records = await this.contents.getMany([...contentIds]);
    for (const id of [...contentIds]) {
      const status = records.get(id)?.status;
      if (status !== 'hidden' && status !== 'deleted') contentIds.delete(id);
    }
    return {
      contentIds,
      sanctionIds: new Set(sanctions.filter((s) => !appealed.has(`sanction:${s.id}`)).map((s) => s.id)),
    };
  }
}
