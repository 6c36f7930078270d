import {
  Body,
  HttpCode,
  ConflictException,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InvalidInput,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import type { DecisionAction, Lane } from '../events';
import { moderationPermissions } from '../permissions';
import { DecisionsService } from '../services/decisions.service';
import { parseLane } from '../services/query-params';
import { COUNT_CAP, QueueService, type QueueCursor } from '../services/queue.service';
import { HistoryPageData } from './history-page-data';
import { ModerationPageData } from './moderation-page-data';
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
 * The review queue: `/moderation` (the queue for those who review, one's own history for everyone
 * else), `/moderation/queue?lane=` (a page of a lane, oldest first, by cursor), and one item in
 * context at `/moderation/queue/<id>` with its reports, the author's history and internal notes.
 * Every decision, claim and note is a plain form; `moderation.js` adds j/k and a/h/d/x.
 */
@Controller()
export class QueuePage {
  constructor(
    private readonly queue: QueueService,
    private readonly decisions: DecisionsService,
    private readonly chrome: ModerationPageData,
    private readonly history: HistoryPageData,
  ) {}

  @Get()
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/index')
  async index(
    @CurrentUser() user: SignedInUser | null,
    @Query('lane') lane?: string,
    @Query('spaceId') spaceId?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const viewer = signedIn(user);
    const tabs = await this.chrome.tabs(viewer);
    if (!tabs.queue) return { ...(await this.history.page(viewer, undefined)), mode: 'history' };
    return { ...(await this.queuePage(viewer, tabs, lane, spaceId, cursor)), mode: 'queue' };
  }

  @Get('queue')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/queue')
  async list(
    @CurrentUser() user: SignedInUser | null,
    @Query('lane') lane?: string,
    @Query('spaceId') spaceId?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const viewer = signedIn(user);
    return this.queuePage(viewer, await this.chrome.tabs(viewer), lane, spaceId, cursor);
  }

  private async queuePage(
    user: SignedInUser,
    tabs: Awaited<ReturnType<ModerationPageData['tabs']>>,
    laneParam: string | undefined,
    spaceParam: string | undefined,
    cursorParam: string | undefined,
  ): Promise<PageData> {
    const scope = await this.queue.reviewScope(user);
    const lane: Lane = parseLane(laneParam) ?? 'reports';
    const spaceId = spaceParam || null;
    const { rows, next } = await this.queue.list(user, scope, {
      lane,
      spaceId,
      limit: 20,
      cursor: decodeCursor<QueueCursor>(cursorParam),
    });
    const counts = await this.queue.counts(user, scope, spaceId);
    const here = `/moderation/queue?lane=${lane}${spaceId ? `&spaceId=${encodeURIComponent(spaceId)}` : ''}`;
    return {
      title: 'moderation.queue.title',
      tab: 'queue',
      tabs,
      lane,
      lanes: this.chrome.laneTabs(counts, lane, COUNT_CAP),
      spaceId,
      spaces: scope.global ? [] : await this.chrome.spacesOf(scope),
      items: this.chrome.decorate(await this.queue.describe(rows)),
      here: cursorParam ? `${here}&cursor=${encodeURIComponent(cursorParam)}` : here,
      nextUrl: next ? `${here}&cursor=${encodeURIComponent(encodeCursor(next))}` : null,
      form: emptyForm(),
    };
  }

  @Get('queue/:id')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/item')
  async one(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    return this.itemPage(signedIn(user), id, emptyForm());
  }

  private async itemPage(user: SignedInUser, id: string, form: PageForm): Promise<PageData> {
    const detail = await this.queue.detail(user, id);
    const [item] = this.chrome.decorate([detail]);
    return {
      title: 'moderation.item.title',
      tab: 'queue',
      tabs: await this.chrome.tabs(user),
      item: { ...detail, actions: item.actions },
      form,
      noteForm: emptyForm(),
    };
  }

  /** A decision from the list or the item page; `next` says where to go back to. */
  @Post('queue/:id/decision')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/item')
  async decide(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['action', 'reason', 'next']);
    const back = safeNext(values.next, `/moderation/queue/${id}`);
    try {
      const decided = await this.decisions.decide(viewer, id, {
        action: (values.action ?? '') as DecisionAction,
        reason: values.reason ?? '',
      });
      return redirect(back === `/moderation/queue/${id}` ? `/moderation/queue?lane=${decided.lane}` : back, {
        kind: 'success',
        message: `moderation.flash.decided.${decided.decision?.action ?? 'approve'}`,
      });
    } catch (error) {
      if (error instanceof ConflictException || (error instanceof HttpException && error.getStatus() === 409)) {
        const claimed = /claimed/.test(error.message);
        return redirect(back, {
          kind: 'warning',
          message: claimed ? 'moderation.flash.claimedByOther' : 'moderation.flash.alreadyDecided',
        });
      }
      const form = formFromError(error, values);
      if (!form) throw error;
      reply.status(422);
      return this.itemPage(viewer, id, form);
    }
  }

  @Post('queue/:id/claim')
  @RequirePermission(moderationPermissions.report)
  async claim(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const back = safeNext(formValues(body, ['next']).next, `/moderation/queue/${id}`);
    try {
      await this.queue.claim(signedIn(user), id);
      return redirect(back, { kind: 'success', message: 'moderation.flash.claimed' });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409) {
        return redirect(back, {
          kind: 'warning',
          message: /claimed/.test(error.message)
            ? 'moderation.flash.claimedByOther'
            : 'moderation.flash.alreadyDecided',
        });
      }
      throw error;
    }
  }

  @Post('queue/:id/unclaim')
  @RequirePermission(moderationPermissions.report)
  async unclaim(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const back = safeNext(formValues(body, ['next']).next, `/moderation/queue/${id}`);
    try {
      await this.queue.unclaim(signedIn(user), id);
      return redirect(back, { kind: 'success', message: 'moderation.flash.unclaimed' });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409)
        return redirect(back, { kind: 'warning', message: 'moderation.flash.alreadyDecided' });
      throw error;
    }
  }

  @Post('queue/:id/notes')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/item')
  async note(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['text']);
    try {
      await this.queue.addNote(viewer, id, values.text ?? '');
      return redirect(`/moderation/queue/${id}#notes`, { kind: 'success', message: 'moderation.flash.noted' });
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      reply.status(422);
      return { ...(await this.itemPage(viewer, id, emptyForm())), noteForm: formFromError(error, values) };
    }
  }
}
