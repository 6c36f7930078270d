import {
  Body,
  HttpCode,
  Controller,
  Get,
  HttpException,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  Contents,
  CurrentUser,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { REPORT_REASONS, type ReportReason } from '../events';
import { moderationPermissions } from '../permissions';
import { AppealsService } from '../services/appeals.service';
import { itemLabel } from '../services/notifier.service';
import { QueueService } from '../services/queue.service';
import { ReportsService } from '../services/reports.service';
import { SanctionsService } from '../services/sanctions.service';
import { HistoryPageData } from './history-page-data';
import {
  emptyForm,
  formFromError,
  formValues,
  safeNext,
  signedIn,
  type PageForm,
  type ReplyLike,
} from './page-support';

/**
 * What every member uses: the report form behind the Report button of every content item
 * (`/moderation/report/<contentId>`, which `moderation.js` opens in a dialog), one's moderation
 * history (`/moderation/history`) and the appeal form (`/moderation/appeal`).
 */
@Controller()
export class MemberPage {
  constructor(
    private readonly contents: Contents,
    private readonly reports: ReportsService,
    private readonly appeals: AppealsService,
    private readonly queue: QueueService,
    private readonly sanctions: SanctionsService,
    private readonly history: HistoryPageData,
  ) {}

  // ----- reporting

  @Get('report/:contentId')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/report')
  async reportForm(
    @Param('contentId') contentId: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('next') next?: string,
  ): Promise<PageData> {
    return this.reportPage(signedIn(user), contentId, emptyForm({ next: safeNext(next, '/') }));
  }

  private async reportPage(user: SignedInUser, contentId: string, form: PageForm): Promise<PageData> {
    const record = await this.contents.getVisible(user, contentId);
    if (record.status === 'deleted') throw new NotFoundException();
    const url = (await this.contents.urlsOf([record.id], new Map([[record.id, record]]))).get(record.id) ?? null;
    return {
      title: 'moderation.report.title',
      content: {
        id: record.id,
        label: itemLabel(record),
        excerpt: record.excerpt,
        typeName: this.contents.typeOf(record.type)?.displayName ?? record.type,
        url,
      },
      own: record.authorId === user.id,
      already: await this.reports.reported(user, record.id),
      reasons: REPORT_REASONS.map((reason) => ({ reason, checked: form.values.reason === reason })),
      form,
    };
  }

  /** Back to where the button was (`next`), with a flash saying what happened. */
  @Post('report/:contentId')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/report')
  async report(
    @Param('contentId') contentId: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['reason', 'note', 'next']);
    const back = safeNext(values.next, '/');
    try {
      const created = await this.reports.report(viewer, {
        contentId,
        reason: (values.reason ?? '') as ReportReason,
        note: values.note ?? null,
      });
      return redirect(back, {
        kind: 'success',
        message: created.hidden ? 'moderation.flash.reportedHidden' : 'moderation.flash.reported',
      });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409)
        return redirect(back, { kind: 'info', message: 'moderation.flash.alreadyReported' });
      const form = formFromError(error, { ...values, next: back });
      if (!form) throw error;
      reply.status(422);
      return this.reportPage(viewer, contentId, form);
    }
  }

  // ----- one's history and appeals

  @Get('history')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/history')
  async historyPage(@CurrentUser() user: SignedInUser | null, @Query('cursor') cursor?: string): Promise<PageData> {
    return this.history.page(signedIn(user), cursor);
  }

  @Get('appeal')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/appeal')
  async appealForm(
    @CurrentUser() user: SignedInUser | null,
    @Query('contentId') contentId?: string,
    @Query('sanctionId') sanctionId?: string,
  ): Promise<PageData> {
    return this.appealPage(signedIn(user), emptyForm({ contentId: contentId ?? '', sanctionId: sanctionId ?? '' }));
  }

  /** What is appealed, as the appeal form shows it: the decision or sanction and its reason. */
  private async appealPage(user: SignedInUser, form: PageForm): Promise<PageData> {
    const contentId = String(form.values.contentId ?? '');
    const sanctionId = String(form.values.sanctionId ?? '');
    let subject: Record<string, unknown>;
    if (contentId) {
      const record = await this.contents.get(contentId);
      if (!record || record.authorId !== user.id) throw new NotFoundException();
      const decided = await this.queue.lastDecisionAgainst(record.id);
      subject = {
        kind: 'content',
        label: itemLabel(record),
        decision: decided?.decision ?? null,
        reason: decided?.decisionReason ?? null,
      };
    } else if (sanctionId) {
      const sanction = await this.sanctions.find(sanctionId);
      if (!sanction || sanction.userId !== user.id) throw new NotFoundException();
      subject = { kind: 'sanction', sanctionKind: sanction.kind, reason: sanction.reason };
    } else throw new NotFoundException();
    return { title: 'moderation.appeal.title', subject, form };
  }

  @Post('appeal')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/appeal')
  async appeal(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['contentId', 'sanctionId', 'text']);
    try {
      await this.appeals.appeal(viewer, {
        contentId: values.contentId || null,
        sanctionId: values.sanctionId || null,
        text: values.text ?? '',
      });
      return redirect('/moderation/history', { kind: 'success', message: 'moderation.flash.appealed' });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409) {
        return redirect('/moderation/history', { kind: 'warning', message: 'moderation.flash.alreadyAppealed' });
      }
      const form = formFromError(error, values);
      if (!form) throw error;
      reply.status(422);
      return this.appealPage(viewer, form);
    }
  }
}
