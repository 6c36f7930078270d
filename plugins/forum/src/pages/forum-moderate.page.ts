import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
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
import { ForumAccessService, type TopicAccess, type Viewer } from '../services/forum-access.service';
import { ForumCategoriesService } from '../services/forum-categories.service';
import { ForumListingService } from '../services/forum-listing.service';
import { ForumModerationService } from '../services/forum-moderation.service';
import { wholeNumber } from '../services/forum-names';
import { pageCount, pageLinks, pageRange } from '../services/forum-paging';
import { ForumViewService, topicUrl } from '../services/forum-view.service';
import { ForumPageData } from './forum-page-data';
import {
  emptyForm,
  formFromError,
  formList,
  formValues,
  signedInPage,
  type ForumForm,
  type ReplyLike,
} from './page-support';
import { forumSpaceOf } from '../services/forum-spaces.service';

type Tool = 'rename' | 'move' | 'close' | 'split' | 'merge';

/** A topic named by its id or by its address (`/forum/t/<id>`, pasted from the browser). */
function topicRef(value: string | undefined): string {
  const text = (value ?? '').trim();
  return /\/forum\/t\/([^/?#]+)/.exec(text)?.[1] ?? text;
}

/**
 * The moderators' tools that need more than a button (`/forum/t/<id>/moderate`): rename, move to
 * another category, close with a reason, split replies into a new topic, merge into another topic.
 * Each tool is its own form; a refused one comes back with its problems named.
 */
@Controller('t')
@InSpace(forumSpaceOf.topic)
export class ForumModeratePage {
  constructor(
    private readonly access: ForumAccessService,
    private readonly categories: ForumCategoriesService,
    private readonly listing: ForumListingService,
    private readonly moderation: ForumModerationService,
    private readonly views: ForumViewService,
    private readonly data: ForumPageData,
  ) {}

  @Get(':id/moderate')
  @RequirePermission(forumPermissions.read)
  @Render('forum/moderate')
  async tools(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('page') page?: string,
  ): Promise<PageData> {
    const viewer = signedInPage(user);
    return this.toolsPage(viewer, await this.moderating(viewer, id), page ? wholeNumber(page, 'page') : 1);
  }

  private async moderating(viewer: SignedInUser, id: string): Promise<TopicAccess> {
    const access = await this.access.topic(viewer, id);
    await this.access.assertIn(viewer, forumPermissions.moderate, access.at);
    return access;
  }

  private async toolsPage(
    viewer: Viewer,
    access: TopicAccess,
    page: number,
    failed?: { tool: Tool; form: ForumForm },
  ): Promise<PageData> {
    const { topic, at } = access;
    const { postsPerPage } = await this.data.config();
    const pages = pageCount(topic.lastPosition, postsPerPage);
    const shown = Math.min(page, pages);
    const { rows } = await this.listing.posts(viewer, topic.id, pageRange(shown, postsPerPage), postsPerPage, false);
    const replies = (
      await this.views.posts(viewer, rows, {
        spaceId: topic.spaceId,
        solutionPostId: topic.solutionPostId,
        moderator: true,
      })
    ).filter((p) => p.position > 1 && p.type === 'forum.post');
    const targets = [];
    for (const c of await this.categories.list(viewer))
      if (c.category.spaceId === topic.spaceId && (await this.access.can(viewer, 'create', c)))
        targets.push({
          id: c.category.id,
          name: c.parent ? `${c.parent.name} › ${c.category.name}` : c.category.name,
          current: c.category.id === topic.categoryId,
        });
    const formOf = (tool: Tool, values: Record<string, unknown>) =>
      failed?.tool === tool ? failed.form : emptyForm(values);
    const selected = new Set((failed?.tool === 'split' ? (failed.form.values.postIds as string[]) : []) ?? []);
    return {
      title: 'forum.moderate.title',
      topicTitle: topic.title,
      url: topicUrl(topic.id),
      topicId: topic.id,
      breadcrumb: this.data.breadcrumb(at),
      closed: Boolean(topic.closed),
      forms: {
        rename: formOf('rename', { title: topic.title }),
        move: formOf('move', { categoryId: topic.categoryId }),
        close: formOf('close', { reason: '' }),
        split: formOf('split', { title: '' }),
        merge: formOf('merge', { intoTopic: '' }),
      },
      targets,
      replies: replies.map((p) => ({ ...p, selected: selected.has(p.id) })),
      pages:
        pages > 1
          ? pageLinks(shown, pages).map((p) => (p === null ? { gap: true } : { number: p, current: p === shown }))
          : [],
      page: shown,
    };
  }

  @Post(':id/moderate/:tool')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @Render('forum/moderate')
  async apply(
    @Param('id') id: string,
    @Param('tool') tool: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const access = await this.moderating(viewer, id);
    const values: Record<string, unknown> = formValues(body, ['title', 'categoryId', 'reason', 'intoTopic', 'page']);
    const page = typeof values.page === 'string' && /^\d{1,9}$/.test(values.page) ? Number(values.page) || 1 : 1;
    try {
      switch (tool) {
        case 'rename':
          await this.moderation.change(viewer, id, { title: String(values.title ?? '') });
          return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.renamed' });
        case 'move':
          await this.moderation.change(viewer, id, { categoryId: String(values.categoryId ?? '') });
          return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.moved' });
        case 'close':
          await this.moderation.close(viewer, id, values.reason);
          return redirect(topicUrl(id), { kind: 'success', message: 'forum.flash.closed' });
        case 'split': {
          values.postIds = formList(body, 'postIds');
          const created = await this.moderation.split(viewer, id, {
            postIds: values.postIds as string[],
            title: values.title,
            categoryId: (values.categoryId as string) || null,
          });
          return redirect(topicUrl(created.id), { kind: 'success', message: 'forum.flash.split' });
        }
        case 'merge': {
          const target = await this.moderation.merge(viewer, id, topicRef(values.intoTopic as string));
          return redirect(topicUrl(target.id), { kind: 'success', message: 'forum.flash.merged' });
        }
        default:
          return redirect(`${topicUrl(id)}/moderate`);
      }
    } catch (error) {
      const renamed: Record<string, string> = { intoTopicId: 'intoTopic' };
      const again = formFromError(error, values);
      if (!again) throw error;
      for (const entry of again.form.summary) entry.field = renamed[entry.field] ?? entry.field;
      for (const [from, to] of Object.entries(renamed))
        if (again.form.errors[from]) {
          again.form.errors[to] = again.form.errors[from];
          delete again.form.errors[from];
        }
      reply.status(again.status);
      return this.toolsPage(viewer, access, page, { tool: tool as Tool, form: again.form });
    }
  }
}
