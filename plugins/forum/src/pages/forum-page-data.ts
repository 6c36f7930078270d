import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Settings } from '@plein/sdk';
import { forumPermissions } from '../permissions';
import type { ForumSettings } from '../settings';
import {
  ForumAccessService,
  type CategoryAccess,
  type TopicAccess,
  type Viewer,
} from '../services/forum-access.service';
import { pageLinks } from '../services/forum-paging';
import { ForumPromotionService } from '../services/forum-promotion.service';
import { ForumReadingService } from '../services/forum-reading.service';
import { ForumTopicsService, type TopicView } from '../services/forum-topics.service';
import { categoryUrl, ForumViewService, topicUrl, type PostView } from '../services/forum-view.service';
import { emptyForm, type ForumForm } from './page-support';

/** What a viewer may do in a topic (for the buttons on the page). */
export interface TopicAbilities {
  reply: boolean;
  moderate: boolean;
  /** Mark or unmark the solution (the topic's author or a moderator). */
  solve: boolean;
  watch: boolean;
  /** Pin on every list (moderators outside any space). */
  pinGlobally: boolean;
  deleteTopic: boolean;
  restoreTopic: boolean;
}

/** A post on the page, with what the viewer may do with it. */
export type PostOnPage = PostView & {
  can: { edit: boolean; delete: boolean; restore: boolean; solve: boolean; quote: boolean };
  removed: boolean;
  anchor: string;
  editUrl: string;
};

export interface Crumb {
  name: string;
  url: string;
}

/** Builds the data of the topic page and the parts other pages share (breadcrumb, abilities). */
@Injectable()
export class ForumPageData {
  constructor(
    private readonly access: ForumAccessService,
    private readonly topics: ForumTopicsService,
    private readonly views: ForumViewService,
    private readonly reading: ForumReadingService,
    private readonly promotions: ForumPromotionService,
    private readonly settings: Settings,
    private readonly clock: Clock,
  ) {}

  config(): Promise<ForumSettings> {
    return this.settings.get<ForumSettings>();
  }

  breadcrumb(at: CategoryAccess): Crumb[] {
    const crumbs: Crumb[] = [];
    if (at.parent) crumbs.push({ name: at.parent.name, url: categoryUrl(at.parent.slug) });
    crumbs.push({ name: at.category.name, url: categoryUrl(at.category.slug) });
    return crumbs;
  }

  async abilities(viewer: Viewer, access: TopicAccess): Promise<TopicAbilities> {
    const { topic, record, at, moderator } = access;
    const live = record.status === 'published' && !topic.mergedIntoId;
    const open = moderator || (!topic.locked && !topic.closed);
    const [reply, pinGlobally, deleteTopic] = await Promise.all([
      this.access.can(viewer, 'reply', at),
      viewer ? this.access.canInSpace(viewer, forumPermissions.moderate, null) : Promise.resolve(false),
      viewer ? this.access.canIn(viewer, forumPermissions.delete, at, topic.authorId) : Promise.resolve(false),
    ]);
    return {
      reply: reply && live && open,
      moderate: moderator && !topic.mergedIntoId,
      solve: viewer !== null && live && (moderator || viewer.id === topic.authorId),
      watch: viewer !== null && !topic.mergedIntoId,
      pinGlobally: pinGlobally && moderator,
      deleteTopic: deleteTopic && record.status !== 'deleted',
      restoreTopic: moderator && record.status === 'deleted',
    };
  }

  /** Per-post abilities from four permission answers, whatever the number of posts. */
  async postsOnPage(
    viewer: Viewer,
    access: TopicAccess,
    posts: PostView[],
    abilities: TopicAbilities,
  ): Promise<PostOnPage[]> {
    const { at, topic, moderator } = access;
    const [editAny, editOwn, deleteAny, deleteOwn] = viewer
      ? await Promise.all([
          this.access.canIn(viewer, forumPermissions.edit, at),
          this.access.canIn(viewer, forumPermissions.edit, at, viewer.id),
          this.access.canIn(viewer, forumPermissions.delete, at),
          this.access.canIn(viewer, forumPermissions.delete, at, viewer.id),
        ])
      : [false, false, false, false];
    const unlocked = moderator || !topic.locked;
    return posts.map((post) => {
      const mine = viewer !== null && post.author?.id === viewer.id;
      const removed = post.status === 'deleted' || post.status === 'hidden';
      const published = post.status === 'published';
      return {
        ...post,
        removed,
        anchor: `post-${post.position}`,
        editUrl: `/forum/posts/${post.id}/edit`,
        can: {
          edit: !removed && unlocked && (editAny || (mine && editOwn)),
          delete: !removed && (deleteAny || (mine && deleteOwn)),
          restore: moderator && post.status === 'deleted',
          solve: abilities.solve && published && post.type === 'forum.post' && post.position > 1,
          quote: abilities.reply && published,
        },
      };
    });
  }

  /** Everything the topic page shows; marks the posts shown as read. */
  async topicPage(
    viewer: Viewer,
    access: TopicAccess,
    page: number,
    options: { form?: ForumForm; quotePostId?: string | null; preview?: string | null } = {},
  ) {
    const { postsPerPage } = await this.config();
    const view: TopicView = await this.topics.view(viewer, access, { limit: postsPerPage, after: null, page });
    if (page > view.pageCount) throw new NotFoundException(`The topic has ${view.pageCount} pages`);
    const abilities = await this.abilities(viewer, access);
    const posts = await this.postsOnPage(viewer, access, view.posts.items, abilities);
    const opening = page === 1 ? posts.find((p) => p.position === 1) : undefined;
    const rest = opening ? posts.filter((p) => p !== opening) : posts;
    let quote: PostView | null = null;
    const quoteId = options.quotePostId ?? (options.form?.values.quotePostId as string | undefined) ?? null;
    if (quoteId && abilities.reply) {
      try {
        const source = await this.access.post(viewer, quoteId);
        [quote] = await this.views.posts(viewer, [source.post], {
          spaceId: source.topic.spaceId,
          solutionPostId: null,
          moderator: source.moderator,
        });
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
    }
    // Reading a page marks what it shows as read (forward only): forms need no script for that.
    const lastShown = [...view.posts.items].reverse().find((p) => p.status === 'published');
    if (viewer && lastShown && access.record.status === 'published')
      await this.reading.markRead(viewer.id, access.topic.id, { id: lastShown.id, position: lastShown.position });
    const pages = pageLinks(page, view.pageCount).map((p) =>
      p === null ? { gap: true } : { number: p, current: p === page },
    );
    const now = this.clock.now();
    return {
      title: view.title,
      topic: view,
      breadcrumb: this.breadcrumb(access.at),
      abilities,
      opening: opening ?? null,
      posts: rest,
      page,
      pages: view.pageCount > 1 ? pages : [],
      previousPage: page > 1 ? page - 1 : null,
      nextPage: page < view.pageCount ? page + 1 : null,
      url: topicUrl(access.topic.id),
      signedIn: viewer !== null,
      form: options.form ?? emptyForm({ body: '', quotePostId: quote?.id ?? '' }),
      quote,
      preview: options.preview ?? null,
      pinnedUntilMin: now.toISOString().slice(0, 16),
      watchLevels: ['watching', 'normal', 'muted'].map((level) => ({ level, selected: view.watchLevel === level })),
      unreadUrl: view.firstUnreadPosition !== null ? `${topicUrl(access.topic.id)}/unread` : null,
      promotion: await this.promotions.panel(viewer, access, view.promotion),
    };
  }
}
