import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  Users,
  type ContentRecord,
  type ContentStatus,
  type FieldProblem,
  type SignedInUser,
} from '@plein/sdk';
import { IsNull, Not } from 'typeorm';
import { ModerationItem } from '../entities/moderation-item.entity';
import { ModerationReport } from '../entities/moderation-report.entity';
import { DECISION_ACTIONS, moderationItemDecided, NOTIFY, type DecisionAction } from '../events';
import { ModerationLog } from './moderation-log.service';
import { ModerationScope } from './moderation-scope.service';
import { itemLabel, ModerationNotifier } from './notifier.service';
import { QueueService, type QueueItemView } from './queue.service';
import { SanctionsService } from './sanctions.service';

/** The status a decision gives the content (null: unchanged). */
export function targetStatus(
  item: Pick<ModerationItem, 'lane' | 'autoHidden'>,
  action: DecisionAction,
  current: ContentStatus,
): ContentStatus | null {
  if (action === 'hide') return 'hidden';
  if (action === 'delete') return 'deleted';
  if (action === 'approve') return current === 'published' ? null : 'published';
  // dismiss: reports set aside; what the reports hid before review comes back.
  if (item.lane === 'reports' && item.autoHidden && current === 'hidden') return 'published';
  return null;
}

/**
 * Decisions on queue items: `approve` (the content is fine: published), `hide`, `delete`, and
 * `dismiss` (set aside without judgement: reports dropped, an appeal refused), each with a reason
 * the people concerned read. One decision per item (a second is 409); the author is told what
 * happened, by whom and why, and may appeal once; reporters are told the outcome.
 */
@Injectable()
export class DecisionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly users: Users,
    private readonly events: EventBus,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly queue: QueueService,
    private readonly sanctions: SanctionsService,
    private readonly notifier: ModerationNotifier,
  ) {}

  async decide(
    user: SignedInUser,
    id: string,
    input: { action: DecisionAction; reason: string },
  ): Promise<QueueItemView> {
    const item = await this.queue.find(id);
    await this.queue.assertMayAct(user, item);
    if (item.status !== 'open')
      throw new ConflictException(`This item was already ${item.status === 'decided' ? 'decided' : 'closed'}`);
    const problems: FieldProblem[] = [];
    const action = input.action;
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!DECISION_ACTIONS.includes(action))
      problems.push({ field: 'action', message: "must be 'approve', 'hide', 'delete' or 'dismiss'" });
    else if (item.lane === 'held' && action === 'dismiss')
      problems.push({ field: 'action', message: 'a held item is approved, hidden or deleted' });
    else if (item.sanctionId && (action === 'hide' || action === 'delete'))
      problems.push({ field: 'action', message: 'an appeal of a sanction is approved (lifting it) or dismissed' });
    if (!reason) problems.push({ field: 'reason', message: 'must say why (the people concerned read it)' });
    if ([...reason].length > 1000) problems.push({ field: 'reason', message: 'must be at most 1000 characters' });
    if (problems.length) throw new InvalidInput(problems);
    if (item.authorId === user.id)
      throw new ForbiddenException('You cannot decide about your own content or sanctions');
    if (item.claimedBy && item.claimedBy !== user.id) {
      const claimer = await this.users.findById(item.claimedBy);
      throw new Conflict(`${claimer?.displayName ?? 'Another moderator'} has claimed this item`, {
        claimedBy: claimer,
      });
    }
    const record = item.contentId ? await this.contents.get(item.contentId) : null;
    if (item.contentId && !record) throw new NotFoundException('The content of this item no longer exists');
    const target = record ? targetStatus(item, action, record.status) : null;
    const role = await this.scope.roleOf(user);
    const now = this.clock.now();

    await this.db.transaction(async () => {
      const updated = await this.db.repository(ModerationItem).update(
        { id, status: 'open' },
        {
          status: 'decided',
          openKey: null,
          decision: action,
          decisionReason: reason,
          decidedBy: user.id,
          decidedAt: now,
          updatedAt: now,
        },
      );
      if (!updated.affected) throw new ConflictException('This item was already decided');
      if (record && target) {
        await this.contents.setStatus(record.id, target, {
          actorId: user.id,
          reason: target === 'published' ? null : reason,
        });
      }
      if (record && (action === 'hide' || action === 'delete')) {
        await this.queue.closeOpen(record.id, ['reports', 'held'], `Decided in item ${id}: ${action}`, id);
      }
      if (item.sanctionId && action === 'approve') await this.grantSanctionAppeal(user, item.sanctionId, reason);
      await this.log.record({
        actor: user,
        actorRole: role,
        action: 'item.decided',
        itemId: id,
        contentId: item.contentId,
        userId: item.authorId,
        spaceId: item.spaceId,
        reason,
        details: {
          lane: item.lane,
          decision: action,
          ...(record ? { from: record.status, to: target ?? record.status, type: record.type } : {}),
          ...(item.sanctionId ? { sanctionId: item.sanctionId } : {}),
        },
      });
      await this.tell(user, role, item, action, reason, record, target);
      await this.events.publish(moderationItemDecided, {
        itemId: id,
        lane: item.lane,
        action,
        contentId: item.contentId,
        sanctionId: item.sanctionId,
        authorId: item.authorId,
        moderatorId: user.id,
      });
    });
    return (await this.queue.describe([await this.queue.find(id)]))[0];
  }

  /** An appeal of a sanction granted: it is lifted (or a warning withdrawn) if it still stands. */
  private async grantSanctionAppeal(user: SignedInUser, sanctionId: string, reason: string): Promise<void> {
    const sanction = await this.sanctions.find(sanctionId);
    if (!sanction || sanction.endReason !== null) return;
    try {
      await this.sanctions.lift(user, sanctionId, reason, true);
    } catch (error) {
      // A silence that ran out meanwhile has nothing left to lift; the appeal is still granted.
      if (!(error instanceof InvalidInput)) throw error;
    }
  }

  /** Notifications: the author (what, by whom, why), the appellant, and the reporters (the outcome). */
  private async tell(
    user: SignedInUser,
    role: Awaited<ReturnType<ModerationScope['roleOf']>>,
    item: ModerationItem,
    action: DecisionAction,
    reason: string,
    record: ContentRecord | null,
    target: ContentStatus | null,
  ): Promise<void> {
    const by = await this.notifier.by(user, role);
    const title = itemLabel(record);
    const params = { title, reason, name: by.name };
    if (item.lane === 'appeals') {
      const granted = action === 'approve';
      const outcome = item.sanctionId
        ? granted
          ? 'sanctionGranted'
          : 'sanctionRefused'
        : granted
          ? 'granted'
          : 'refused';
      await this.notifier.send(
        [item.authorId],
        NOTIFY.appeal,
        `moderation.notify.appeal.${outcome}.${by.kind}`,
        params,
        '/moderation/history',
        item.contentId,
      );
      return;
    }
    if (record) {
      // The author hears of every change to their content, and of the outcome of a hold.
      const what =
        target === 'hidden'
          ? 'hidden'
          : target === 'deleted'
            ? 'deleted'
            : target === 'published'
              ? item.lane === 'held'
                ? 'approved'
                : 'restored'
              : null;
      if (what) {
        await this.notifier.send(
          [item.authorId],
          NOTIFY.decided,
          `moderation.notify.decided.${what}.${by.kind}`,
          params,
          '/moderation/history',
          record.id,
        );
      }
    }
    if (item.lane === 'reports') {
      const reporters = await this.db
        .repository(ModerationReport)
        .findBy({ itemId: item.id, reporterId: Not(IsNull()) });
      const outcome = action === 'hide' || action === 'delete' ? 'actioned' : 'noViolation';
      await this.notifier.send(
        reporters.map((r) => r.reporterId!),
        NOTIFY.reportResolved,
        `moderation.notify.report.${outcome}`,
        { title },
        '/moderation/history',
        item.contentId,
      );
    }
  }
}
