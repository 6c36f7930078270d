import { Injectable } from '@nestjs/common';
import { Contents, decodeCursor, encodeCursor, Settings, type PageData, type SignedInUser } from '@plein/sdk';
import { AppealsService } from '../services/appeals.service';
import { ModerationLog } from '../services/moderation-log.service';
import { itemLabel } from '../services/notifier.service';
import { ReportsService } from '../services/reports.service';
import { SanctionsService } from '../services/sanctions.service';
import type { ModerationSettings } from '../settings';
import { ModerationPageData } from './moderation-page-data';

/** The catalogue key that says what an entry of one's history was. */
function whatKey(action: string, details: Record<string, unknown>): string {
  if (action === 'item.decided') {
    const lane = details.lane === 'appeals' ? 'appeals' : 'content';
    return `moderation.history.decided.${lane}.${String(details.decision)}`;
  }
  if (action.startsWith('sanction.') && typeof details.kind === 'string')
    return `moderation.history.${action}.${details.kind}`;
  return `moderation.history.${action}`;
}

/**
 * One's own moderation history (`/moderation/history`): everything done to one's content and
 * account, who did it (their role, or their name when the setting says so) and why, with an
 * appeal link where a decision may still be appealed; one's reports and what came of them.
 */
@Injectable()
export class HistoryPageData {
  constructor(
    private readonly log: ModerationLog,
    private readonly contents: Contents,
    private readonly appeals: AppealsService,
    private readonly reports: ReportsService,
    private readonly sanctions: SanctionsService,
    private readonly settings: Settings,
    private readonly chrome: ModerationPageData,
  ) {}

  async page(user: SignedInUser, cursor: string | undefined): Promise<PageData> {
    const { rows, next } = await this.log.historyOf(user.id, 30, decodeCursor<{ at: string; id: string }>(cursor));
    const entries = await this.log.describe(rows);
    const { revealModeratorNames } = await this.settings.get<ModerationSettings>();
    const appealable = await this.appeals.appealable(user.id);
    const contentIds = [...new Set(entries.map((e) => e.contentId).filter((id): id is string => !!id))];
    const records = await this.contents.getMany(contentIds);
    const urls = await this.contents.urlsOf(contentIds, records);
    const sanctions = await this.sanctions.describe(await this.sanctions.of(user.id));
    return {
      title: 'moderation.history.title',
      tab: 'history',
      tabs: await this.chrome.tabs(user),
      entries: entries.map((e) => {
        const record = e.contentId ? records.get(e.contentId) : undefined;
        const sanctionId = typeof e.details.sanctionId === 'string' ? e.details.sanctionId : null;
        const canAppeal =
          (e.action === 'item.decided' && !!e.contentId && appealable.contentIds.has(e.contentId)) ||
          (e.action === 'sanction.issued' && sanctionId !== null && appealable.sanctionIds.has(sanctionId));
        return {
          at: e.at,
          what: whatKey(e.action, e.details),
          byName: e.actor && (revealModeratorNames || e.actor.id === user.id) ? e.actor.displayName : null,
          byRole: `moderation.role.${e.actorRole}`,
          reason: e.reason,
          until: typeof e.details.until === 'string' ? e.details.until : null,
          content: record
            ? {
                label: itemLabel(record),
                status: record.status,
                // Only what the author can still open is linked.
                url: record.status === 'deleted' ? null : (urls.get(record.id) ?? null),
              }
            : null,
          appealUrl: canAppeal
            ? sanctionId && e.action === 'sanction.issued'
              ? `/moderation/appeal?sanctionId=${encodeURIComponent(sanctionId)}`
              : `/moderation/appeal?contentId=${encodeURIComponent(e.contentId!)}`
            : null,
        };
      }),
      nextUrl: next ? `/moderation/history?cursor=${encodeURIComponent(encodeCursor(next))}` : null,
      reports: await this.reports.mine(user, 20),
      sanctions: sanctions.filter((s) => s.active),
    };
  }
}
