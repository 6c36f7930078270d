import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  encodeCursor,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  Spaces,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { forumPermissions } from '../permissions';
import { ForumAccessService, type CategoryAccess } from '../services/forum-access.service';
import { ForumCategoriesService } from '../services/forum-categories.service';
import { ForumListingService, readTopicCursor } from '../services/forum-listing.service';
import { ForumReadingService } from '../services/forum-reading.service';
import { ForumRenderService } from '../services/forum-render.service';
import { ForumTopicStateService } from '../services/forum-topic-state.service';
import { ForumTopicsService } from '../services/forum-topics.service';
import { categoryUrl, topicUrl } from '../services/forum-view.service';
import { ForumPageData } from './forum-page-data';
import { emptyForm, formFromError, formValues, signedInPage, type ForumForm, type ReplyLike } from './page-support';
import { forumSpaceOf } from '../services/forum-spaces.service';

const TOPIC_FIELDS = ['title', 'body', 'tags', 'action'] as const;

/**
 * The category index (`/forum`), a category's topics (`/forum/c/<slug>`), and starting a topic
 * (`/forum/c/<slug>/new`). Forms are plain HTML forms with the CSRF token: no script needed.
 */
@Controller()
export class ForumIndexPage {
  constructor(
    private readonly access: ForumAccessService,
    private readonly categories: ForumCategoriesService,
    private readonly topics: ForumTopicsService,
    private readonly listing: ForumListingService,
    private readonly reading: ForumReadingService,
    private readonly state: ForumTopicStateService,
    private readonly data: ForumPageData,
    private readonly renderer: ForumRenderService,
    private readonly spaces: Spaces,
  ) {}

  /** Every category the reader may see; `?space=<slug>` only those bound to that space (its link on the space's page). */
  @Get()
  @RequirePermission(forumPermissions.read)
  @InSpace('query.space')
  @Render('forum/index')
  async index(@CurrentUser() user: SignedInUser | null, @Query('space') spaceRef?: string): Promise<PageData> {
    const space = typeof spaceRef === 'string' && spaceRef ? await this.spaces.visibleTo(user, spaceRef) : null;
    if (spaceRef && !space) throw new NotFoundException(`No space '${spaceRef}', or it is private`);
    const everything = await this.categories.list(user);
    const list = space ? everything.filter((at) => at.category.spaceId === space.id) : everything;
    const summaries = await this.categories.summaries(user, list);
    const byId = new Map(summaries.map((s) => [s.id, s]));
    const spaceNames = new Map<string, string>();
    for (const at of list) if (at.space) spaceNames.set(at.space.id, at.space.name);
    const tops = list
      .filter((at) => !at.category.parentId || !byId.has(at.category.parentId))
      .map((at) => ({
        ...byId.get(at.category.id)!,
        spaceName: at.category.spaceId ? (spaceNames.get(at.category.spaceId) ?? null) : null,
        children: list.filter((c) => c.category.parentId === at.category.id).map((c) => byId.get(c.category.id)!),
      }));
    return {
      title: 'forum.index.title',
      categories: tops,
      space: space ? { slug: space.slug, name: space.name } : null,
      pinned: space ? [] : await this.topics.globalPins(user),
      canManage: (await this.categories.managedPlaces(user)).length > 0,
      signedIn: user !== null,
    };
  }

  @Get('c/:slug')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/category')
  async category(
    @Param('slug') slug: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('solved') solved?: string,
    @Query('tag') tag?: string,
  ): Promise<PageData> {
    const at = await this.access.category(user, slug);
    const { topicsPerPage } = await this.data.config();
    const filter = {
      solved: solved === 'yes' ? true : solved === 'no' ? false : null,
      tag: typeof tag === 'string' && tag ? tag.toLowerCase().slice(0, 32) : null,
    };
    await this.state.unpinExpired(at.category.id);
    const { rows, next } = await this.listing.topics(
      user,
      at.category.id,
      topicsPerPage,
      readTopicCursor(cursor),
      filter,
    );
    const topics = await this.topics.summaries(user, rows);
    const children = (await this.categories.list(user)).filter((c) => c.category.parentId === at.category.id);
    const [summary] = await this.categories.summaries(user, [at]);
    const query = (extra: Record<string, string | null>) => {
      const params = new URLSearchParams();
      const merged = { solved: solved ?? null, tag: filter.tag, ...extra };
      for (const [k, v] of Object.entries(merged)) if (v) params.set(k, v);
      const text = params.toString();
      return `${categoryUrl(at.category.slug)}${text ? `?${text}` : ''}`;
    };
    return {
      title: at.category.name,
      category: summary,
      space: at.space ? { slug: at.space.slug, name: at.space.name } : null,
      breadcrumb: this.data.breadcrumb(at).slice(0, -1),
      children: await this.categories.summaries(user, children),
      topics,
      nextUrl: next ? query({ cursor: encodeCursor(next) }) : null,
      filters: [
        { label: 'forum.category.filterAll', url: query({ solved: null }), current: filter.solved === null },
        { label: 'forum.category.filterSolved', url: query({ solved: 'yes' }), current: filter.solved === true },
        { label: 'forum.category.filterUnsolved', url: query({ solved: 'no' }), current: filter.solved === false },
      ],
      tag: filter.tag,
      allTagsUrl: query({ tag: null }),
      canCreate: await this.access.can(user, 'create', at),
      canManage: await this.categories.mayManage(user, at.category.spaceId),
      signedIn: user !== null,
    };
  }

  @Post('c/:slug/read')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async markRead(@Param('slug') slug: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const { category } = await this.access.category(viewer, slug);
    await this.reading.markCategoryRead(viewer.id, category.id);
    return redirect(categoryUrl(category.slug), { kind: 'success', message: 'forum.flash.markedRead' });
  }

  @Get('c/:slug/new')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/topic-new')
  async newTopicForm(@Param('slug') slug: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedInPage(user);
    const at = await this.access.category(viewer, slug);
    await this.access.assertCan(viewer, 'create', at);
    return this.newTopicPage(at, emptyForm({ title: '', body: '', tags: '' }));
  }

  @Post('c/:slug/new')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/topic-new')
  async newTopic(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const values = formValues(body, TOPIC_FIELDS);
    const at = await this.access.category(viewer, slug);
    await this.access.assertCan(viewer, 'create', at);
    if (values.action === 'preview') {
      const preview = (await this.renderer.render((values.body ?? '').slice(0, 900_000))).html;
      return { ...this.newTopicPage(at, emptyForm(values)), preview };
    }
    try {
      const { topic, record } = await this.topics.create(viewer, at.category.id, {
        title: values.title ?? '',
        body: values.body ?? '',
        tags: values.tags ?? '',
      });
      return redirect(
        topicUrl(topic.id),
        record.status === 'pending'
          ? { kind: 'warning', message: 'forum.flash.topicHeld' }
          : { kind: 'success', message: 'forum.flash.topicCreated' },
      );
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.newTopicPage(at, again.form);
    }
  }

  private newTopicPage(at: CategoryAccess, form: ForumForm): PageData {
    return {
      title: 'forum.newTopic.title',
      category: { name: at.category.name, slug: at.category.slug, url: categoryUrl(at.category.slug) },
      breadcrumb: this.data.breadcrumb(at),
      form,
      preview: null,
    };
  }
}
