import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { forumPermissions } from '../permissions';
import { ForumAccessService, type Viewer } from '../services/forum-access.service';
import { ForumListingService } from '../services/forum-listing.service';
import { ForumModerationService } from '../services/forum-moderation.service';
import { wholeNumber } from '../services/forum-names';
import { pageOf } from '../services/forum-paging';
import { ForumPostsService } from '../services/forum-posts.service';
import { ForumPromotionService, type PromotionView } from '../services/forum-promotion.service';
import { ForumReadingService, WATCH_LEVELS } from '../services/forum-reading.service';
import { ForumRenderService } from '../services/forum-render.service';
import { topicUrl } from '../services/forum-view.service';
import type { WatchLevel } from '../entities/forum-watch.entity';
import { ForumPageData } from './forum-page-data';
import { emptyForm, formFromError, formValues, signedInPage, type ReplyLike } from './page-support';
import { forumSpaceOf } from '../services/forum-spaces.service';

/** `/forum/t/<id>#post-<n>` on the page that shows position n. */
export function postLocation(topicId: string, position: number, perPage: number): string {
  const page = pageOf(position, perPage);
  return `${topicUrl(topicId)}${page > 1 ? `?page=${page}` : ''}#post-${position}`;
}

/**
 * The topic page (`/forum/t/<id>?page=n`): the opening post, the solution under it, a page of
 * replies, the page numbers, the reply form (with the quoted post), watching, and the moderators'
 * buttons. Every action is a form post answered by a redirect with a flash message.
 */
@Controller('t')
@InSpace(forumSpaceOf.topic)
export class ForumTopicPage {
  constructor(
    private readonly access: ForumAccessService,
    private readonly posts: ForumPostsService,
    private readonly moderation: ForumModerationService,
    private readonly reading: ForumReadingService,
    private readonly listing: ForumListingService,
    private readonly renderer: ForumRenderService,
    private readonly data: ForumPageData,
    private readonly promotions: ForumPromotionService,
  ) {}

  private pageNumber(page: string | undefined): number {
    return page === undefined || page === '' ? 1 : wholeNumber(page, 'page');
  }

  @Get(':id')
  @RequirePermission(forumPermissions.read)
  @Render('forum/topic')
  async read(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('page') page?: string,
    @Query('quote') quote?: string,
  ): Promise<PageData | PageRedirect> {
    const access = await this.access.topic(user, id);
    if (access.topic.mergedIntoId)
      return redirect(topicUrl(access.topic.mergedIntoId), { kind: 'info', message: 'forum.flash.wasMerged' });
    return this.data.topicPage(user, access, this.pageNumber(page), { quotePostId: quote ?? null });
  }

  /** To the first post the viewer has not read (or the last page when everything is read). */
  @Get(':id/unread')
  @RequirePermission(forumPermissions.read)
  async unread(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const access = await this.access.topic(user, id);
    const { postsPerPage } = await this.data.config();
    const read = await this.reading.readPosition(user?.id, access.topic.id);
    const next = await this.listing.firstVisibleAfter(user, access.topic.id, read?.position ?? 0);
    const position = next?.position ?? Math.max(1, access.topic.lastPostPosition);
    return redirect(postLocation(access.topic.id, position, postsPerPage));
  }

  @Post(':id/reply')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @Render('forum/topic')
  async reply(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const values = formValues(body, ['body', 'quotePostId', 'action', 'page']);
    const access = await this.access.topic(viewer, id);
    const page = values.page && /^\d{1,9}$/.test(values.page) ? Number(values.page) || 1 : 1;
    if (values.action === 'preview') {
      const preview = (await this.renderer.render((values.body ?? '').slice(0, 900_000))).html;
      return this.data.topicPage(viewer, access, page, { form: emptyForm(values), preview });
    }
    try {
      const { post, record } = await this.posts.reply(viewer, id, {
        body: values.body ?? '',
        quotePostId: values.quotePostId || null,
      });
      const { postsPerPage } = await this.data.config();
      return redirect(
        postLocation(access.topic.id, post.position, postsPerPage),
        record.status === 'pending'
          ? { kind: 'warning', message: 'forum.flash.replyHeld' }
          : { kind: 'success', message: 'forum.flash.replied' },
      );
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.data.topicPage(viewer, await this.access.topic(viewer, id), page, { form: again.form });
    }
  }

  @Post(':id/watch')
  @RequirePermission(forumPermissions.read)
  async watch(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const { topic } = await this.access.topic(viewer, id);
    const { level } = formValues(body, ['level']);
    const chosen: WatchLevel = (WATCH_LEVELS as readonly string[]).includes(level) ? (level as WatchLevel) : 'normal';
    await this.reading.setLevel(viewer.id, topic.id, chosen);
    return redirect(topicUrl(topic.id), { kind: 'success', message: `forum.flash.watch.${chosen}` });
  }

  @Post(':id/solution')
  @RequirePermission(forumPermissions.read)
  async solve(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const { postId } = formValues(body, ['postId']);
    await this.moderation.markSolution(viewer, id, postId);
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.solved' });
  }

  @Post(':id/unsolve')
  @RequirePermission(forumPermissions.read)
  async unsolve(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    await this.moderation.unmarkSolution(signedInPage(user), id);
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.unsolved' });
  }

  /** Promote to wiki: the solved topic becomes a wiki page; back to the topic with what happened. */
  @Post(':id/promote')
  @RequirePermission(forumPermissions.read)
  async promote(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    try {
      const promotion = await this.promotions.promote(viewer, id);
      return redirect(topicUrl(id), {
        kind: 'success',
        message: 'forum.flash.promoted',
        params: { title: promotion.title },
      });
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 409) throw error;
      const promotion = (error.getResponse() as { promotion?: PromotionView }).promotion;
      if (promotion?.page)
        return redirect(topicUrl(id), {
          kind: 'info',
          message: 'forum.flash.alreadyPromoted',
          params: { title: promotion.page.title },
        });
      if (promotion) return redirect(topicUrl(id), { kind: 'info', message: 'forum.flash.beingPromoted' });
      return redirect(topicUrl(id), { kind: 'error', message: 'forum.flash.notPromotable' });
    }
  }

  /** The moderators' quick buttons: pin (with scope and end), unpin, lock, unlock, reopen. */
  @Post(':id/pin')
  @RequirePermission(forumPermissions.read)
  async pin(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const { scope, until } = formValues(body, ['scope', 'until']);
    try {
      await this.moderation.change(viewer, id, {
        pinned: scope === 'global' ? 'global' : 'category',
        pinnedUntil: until ? this.localTime(until) : null,
      });
    } catch (error) {
      if (formFromError(error, {})) return redirect(topicUrl(id), { kind: 'error', message: 'forum.flash.pinFailed' });
      throw error;
    }
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.pinned' });
  }

  /** `<input type="datetime-local">` sends `2030-01-31T09:00`; read it as UTC (times are shown in UTC). */
  private localTime(value: string): string {
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
  }

  @Post(':id/unpin')
  @RequirePermission(forumPermissions.read)
  async unpin(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    await this.moderation.change(signedInPage(user), id, { pinned: false });
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.unpinned' });
  }

  @Post(':id/lock')
  @RequirePermission(forumPermissions.read)
  async lock(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    await this.moderation.change(signedInPage(user), id, { locked: true });
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.locked' });
  }

  @Post(':id/unlock')
  @RequirePermission(forumPermissions.read)
  async unlock(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    await this.moderation.change(signedInPage(user), id, { locked: false });
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.unlocked' });
  }

  @Post(':id/reopen')
  @RequirePermission(forumPermissions.read)
  async reopen(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    await this.moderation.reopen(signedInPage(user), id);
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.reopened' });
  }

  @Post(':id/delete')
  @RequirePermission(forumPermissions.read)
  async delete(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const access = await this.access.topic(viewer, id);
    await this.posts.deleteTopic(viewer, access, null);
    return redirect(await this.afterRemoval(viewer, access.at.category.slug, id), {
      kind: 'success',
      message: 'forum.flash.topicDeleted',
    });
  }

  /** Moderators stay on the deleted topic (to restore it); others go back to the category. */
  private async afterRemoval(viewer: Viewer, slug: string, id: string): Promise<string> {
    try {
      await this.access.topic(viewer, id);
      return topicUrl(id);
    } catch {
      return `/forum/c/${slug}`;
    }
  }

  @Post(':id/restore')
  @RequirePermission(forumPermissions.read)
  async restore(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    await this.posts.restoreTopic(viewer, await this.access.topic(viewer, id));
    return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.topicRestored' });
  }
}
