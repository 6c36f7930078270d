import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  Settings,
  type ContentStatus,
  type FieldProblem,
  type SignedInUser,
} from '@plein/sdk';
import { In } from 'typeorm';
import { ModerationItem } from '../entities/moderation-item.entity';
import { ModerationReport } from '../entities/moderation-report.entity';
import { moderationReportCreated, NOTIFY, REPORT_REASONS, type DecisionAction, type ReportReason } from '../events';
import type { ModerationSettings } from '../settings';
import { ModerationLog } from './moderation-log.service';
import { itemLabel, ModerationNotifier } from './notifier.service';
import { QueueService } from './queue.service';

export interface ReportCreated {
  id: string;
  itemId: string;
  contentId: string;
  reason: ReportReason;
  note: string | null;
  createdAt: string;
  /** Whether this report made the content hidden until review (the threshold was reached). */
  hidden: boolean;
}

/** A report of mine and what came of it. */
export interface MyReport {
  id: string;
  contentId: string;
  title: string;
  reason: ReportReason;
  note: string | null;
  createdAt: string;
  /** `open`: waiting for a moderator; otherwise the decision. */
  outcome: 'open' | 'closed' | DecisionAction;
  contentStatus: ContentStatus | null;
}

/**
 * Reports by members. One report per member and item: a second is a 409 (not silently accepted),
 * so a member knows their first report counts. Reports from `reportThreshold` different members
 * hide the item until a moderator reviews it.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly settings: Settings,
    private readonly events: EventBus,
    private readonly log: ModerationLog,
    private readonly queue: QueueService,
    private readonly notifier: ModerationNotifier,
  ) {}

  async report(
    user: SignedInUser,
    input: { contentId: string; reason: ReportReason; note?: string | null },
  ): Promise<ReportCreated> {
    // 404 for content this member cannot see: its existence is not revealed.
    const record = await this.contents.getVisible(user, input.contentId);
    if (record.status === 'deleted') throw new NotFoundException();
    const problems: FieldProblem[] = [];
    if (!REPORT_REASONS.includes(input.reason))
      problems.push({ field: 'reason', message: `must be one of ${REPORT_REASONS.join(', ')}` });
    const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim() : null;
    if (note && [...note].length > 1000) problems.push({ field: 'note', message: 'must be at most 1000 characters' });
    if (record.authorId === user.id)
      problems.push({ field: 'contentId', message: 'you cannot report your own content' });
    if (problems.length) throw new InvalidInput(problems);
    const already = await this.db.repository(ModerationReport).existsBy({ contentId: record.id, reporterId: user.id });
    if (already) throw new Conflict('You already reported this; moderators have your report');
    const { reportThreshold } = await this.settings.get<ModerationSettings>();
    const subject = { contentId: record.id, type: record.type, spaceId: record.spaceId, authorId: record.authorId };
    const now = this.clock.now();
    const report: ModerationReport = {
      id: randomUUID(),
      itemId: '',
      contentId: record.id,
      reporterId: user.id,
      reason: input.reason,
      note,
      ruleId: null,
      createdAt: now,
    };
    let hidden = false;
    await this.db.transaction(async () => {
      const item = await this.queue.reportsItem(subject);
      report.itemId = item.id;
      try {
        await this.db.repository(ModerationReport).insert(report);
      } catch (error) {
        if (/UNIQUE|Duplicate/i.test((error as Error).message))
          throw new Conflict('You already reported this; moderators have your report');
        throw error;
      }
      await this.db.repository(ModerationItem).increment({ id: item.id }, 'reportCount', 1);
      await this.db.repository(ModerationItem).update({ id: item.id }, { updatedAt: now });
      const count = item.reportCount + 1;
      await this.log.record({
        actor: user,
        actorRole: 'member',
        action: 'report.created',
        itemId: item.id,
        contentId: record.id,
        userId: record.authorId,
        spaceId: record.spaceId,
        reason: note,
        details: { reportId: report.id, reason: input.reason, reports: count },
      });
      await this.events.publish(moderationReportCreated, {
        reportId: report.id,
        itemId: item.id,
        contentId: record.id,
        reporterId: user.id,
        reason: input.reason,
      });
      if (reportThreshold > 0 && count >= reportThreshold && record.status === 'published' && !item.autoHidden) {
        const why = `Hidden after ${count} reports, until a moderator reviews it`;
        await this.contents.setStatus(record.id, 'hidden', { actorId: null, reason: why });
        await this.db.repository(ModerationItem).update({ id: item.id }, { autoHidden: true });
        await this.log.record({
          actor: null,
          actorRole: 'system',
          action: 'content.auto-hidden',
          itemId: item.id,
          contentId: record.id,
          userId: record.authorId,
          spaceId: record.spaceId,
          reason: why,
          details: { reports: count, threshold: reportThreshold },
        });
        await this.notifier.send(
          [record.authorId],
          NOTIFY.decided,
          'moderation.notify.autoHidden',
          { title: itemLabel(record), count },
          '/moderation/history',
          record.id,
        );
        hidden = true;
      }
    });
    return {
      id: report.id,
      itemId: report.itemId,
      contentId: record.id,
      reason: input.reason,
      note,
      createdAt: now.toISOString(),
      hidden,
    };
  }

  /** Whether `user` reported this content already. */
  async reported(user: { id: string }, contentId: string): Promise<boolean> {
    return this.db.repository(ModerationReport).existsBy({ contentId, reporterId: user.id });
  }

  /** A member's own reports, newest first, with what moderators decided. */
  async mine(user: { id: string }, limit = 50): Promise<MyReport[]> {
    const reports = await this.db.repository(ModerationReport).find({
      where: { reporterId: user.id },
      order: { createdAt: 'DESC' },
      take: limit,
    });
    const items = reports.length
      ? await this.db.repository(ModerationItem).findBy({ id: In(reports.map((r) => r.itemId)) })
      : [];
    const byId = new Map(items.map((i) => [i.id, i]));
    const records = await this.contents.getMany(reports.map((r) => r.contentId));
    return reports.map((r) => {
      const item = byId.get(r.itemId);
      const record = records.get(r.contentId) ?? null;
      return {
        id: r.id,
        contentId: r.contentId,
        // What the reporter saw when they reported; a hidden item is not shown again.
        title: record && record.status === 'published' ? itemLabel(record) : '…',
        reason: r.reason as ReportReason,
        note: r.note,
        createdAt: r.createdAt.toISOString(),
        outcome: !item || item.status === 'open' ? 'open' : item.status === 'closed' ? 'closed' : item.decision!,
        contentStatus: record?.status ?? null,
      };
    });
  }
}
