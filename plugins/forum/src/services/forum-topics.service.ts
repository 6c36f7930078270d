import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Contents, Database, encodeCursor, EventBus, Settings, type ContentRecord, type Page } from '@plein/sdk';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopicTag } from '../entities/forum-topic-tag.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import type { WatchLevel } from '../entities/forum-watch.entity';
import { forumTopicContent, forumTopicCreated } from '../events';
import type { ForumSettings } from '../settings';
import { ForumAccessService, type SignedInViewer, type TopicAccess, type Viewer } from './forum-access.service';
import { ForumListingService, type TopicCursor, type TopicFilter } from './forum-listing.service';
import { checkBody, checkTags, checkTitle } from './forum-names';
import { categoryAudience } from './forum-audiences.service';
import { ForumNotifyService } from './forum-notify.service';
import { ForumPromotionService, type PromotionView } from './forum-promotion.service';
import { pageCount, pageRange } from './forum-paging';
import { ForumReadingService } from './forum-reading.service';
import { ForumRenderService } from './forum-render.service';
import { ForumTopicStateService } from './forum-topic-state.service';
import { categoryUrl, ForumViewService, topicUrl, type PostView, type TopicSummary } from './forum-view.service';

export interface CreateTopicInput {
  title: unknown;
  body: unknown;
  tags?: unknown;
}

/** A topic as `GET /topics/:id` answers it: the list fields, its state, and a page of its posts. */
export interface TopicView extends TopicSummary {
  statusReason: string | null;
  category: { id: string; slug: string; name: string; url: string };
  firstPostId: string;
  closeReason: string | null;
  closedAt: string | null;
  mergedIntoId: string | null;
  solutionPostId: string | null;
  /** The solution, shown under the opening post (null when unsolved or not visible to the viewer). */
  solution: PostView | null;
  /** The last position handed out; with `perPage`, the page numbers. */
  lastPosition: number;
  perPage: number;
  pageCount: number;
  /** The page asked for with `?page=`, else null. */
  page: number | null;
  watchLevel: WatchLevel | null;
  lastReadPostId: string | null;
  lastReadPosition: number | null;
  /** The first post after the viewer's read position that they may see (null when none). */
  firstUnreadPosition: number | null;
  /** A topic promoted to the wiki (or being promoted): where that stands, and the page. */
  promotion: PromotionView | null;
  posts: Page<PostView>;
}

export interface PostsQuery {
  limit: number;
  /** Posts after this position (the cursor). */
  after: number | null;
  page: number | null;
}

/** Starting topics, the list of a category, and a topic with a page of its posts. */
@Injectable()
export class ForumTopicsService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: Settings,
    private readonly access: ForumAccessService,
    private readonly listing: ForumListingService,
    private readonly views: ForumViewService,
    private readonly renderer: ForumRenderService,
    private readonly reading: ForumReadingService,
    private readonly notify: ForumNotifyService,
    private readonly state: ForumTopicStateService,
    private readonly promotions: ForumPromotionService,
  ) {}

  private config(): Promise<ForumSettings> {
    return this.settings.get<ForumSettings>();
  }

  /**
   * Starts a topic: its title and opening post go through the gates as one record (`forum.topic`),
   * inside the transaction that writes the topic, the post and the tags.
   */
  async create(
    viewer: SignedInViewer,
    categoryRef: string,
    input: CreateTopicInput,
  ): Promise<{ topic: ForumTopic; post: ForumPost; record: ContentRecord }> {
    const at = await this.access.category(viewer, categoryRef);
    await this.access.assertCan(viewer, 'create', at);
    const settings = await this.config();
    const title = checkTitle(input.title);
    const body = checkBody(input.body, settings.maxPostBytes);
    const tags = checkTags(input.tags, settings.maxTags);
    const { category } = at;
    const result = await this.db.transaction(async () => {
      const submitted = await this.contents.submit({
        type: forumTopicContent,
        authorId: viewer.id,
        spaceId: category.spaceId,
        title,
        text: body,
        audience: categoryAudience(category.id),
      });
      const finalTitle = checkTitle(submitted.title ?? title);
      const rendered = await this.renderer.render(submitted.text);
      // The record's time, so the topic, its opening post and the record agree.
      const now = submitted.record.createdAt;
      const topicId = randomUUID();
      const postId = randomUUID();
      const published = submitted.record.status === 'published';
      const topic: ForumTopic = {
        id: topicId,
        contentId: submitted.record.id,
        categoryId: category.id,
        spaceId: category.spaceId,
        title: finalTitle,
        authorId: viewer.id,
        firstPostId: postId,
        pinned: 0,
        pinScope: null,
        pinnedUntil: null,
        locked: false,
        closed: false,
        closeReason: null,
        closedAt: null,
        closedBy: null,
        solutionPostId: null,
        mergedIntoId: null,
        lastPosition: 1,
        lastPostPosition: 1,
        lastPostId: postId,
        lastPosterId: viewer.id,
        lastActivityAt: now,
        replyCount: 0,
        status: submitted.record.status,
        createdAt: now,
        updatedAt: now,
      };
      const post: ForumPost = {
        id: postId,
        contentId: submitted.record.id,
        topicId,
        position: 1,
        opening: true,
        authorId: viewer.id,
        body: submitted.text,
        html: rendered.html,
        version: 1,
        quotePostId: null,
        quoteAuthorId: null,
        quoteBody: null,
        quoteHtml: null,
        status: submitted.record.status,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        editorId: null,
      };
      await this.db.repository(ForumTopic).insert(topic);
      await this.db.repository(ForumPost).insert(post);
      if (tags.length) await this.db.repository(ForumTopicTag).insert(tags.map((tag) => ({ topicId, tag })));
      if (settings.watchOwnTopics) await this.reading.setLevel(viewer.id, topicId, 'watching');
      await this.reading.markRead(viewer.id, topicId, post);
      if (published) await this.state.recountCategory(category.id);
      await this.events.publish(forumTopicCreated, {
        topicId,
        contentId: topic.contentId,
        categoryId: category.id,
        spaceId: category.spaceId,
        title: topic.title,
        url: topicUrl(topicId),
        actorId: viewer.id,
        firstPostId: postId,
        status: published ? 'published' : 'pending',
        tags,
      });
      if (published)
        await this.notify.postPublished({
          topic,
          category,
          parent: at.parent,
          post,
          author: viewer,
          mentions: rendered.mentions,
        });
      return { topic, post, record: submitted.record };
    });
    return result;
  }

  /** A page of a category's topics: pinned first, then by last activity; ended pins are unpinned first. */
  async list(
    viewer: Viewer,
    categoryRef: string,
    limit: number,
    after: TopicCursor | null,
    filter: TopicFilter,
  ): Promise<Page<TopicSummary>> {
    const { category } = await this.access.category(viewer, categoryRef);
    await this.state.unpinExpired(category.id);
    const { rows, next } = await this.listing.topics(viewer, category.id, limit, after, filter);
    const items = await this.summaries(viewer, rows);
    return { items, nextCursor: next ? encodeCursor(next) : null };
  }

  /** Topics with the viewer's reading state (for signed-in viewers). */
  async summaries(viewer: Viewer, rows: ForumTopic[], records?: Map<string, ContentRecord>): Promise<TopicSummary[]> {
    const reading = viewer
      ? await this.listing.readingStates(viewer.id, rows, (await this.config()).unreadWindowDays)
      : undefined;
    return this.views.topics(viewer, rows, this.clock.now(), { reading, records });
  }

  /** Topics pinned everywhere (ended pins unpinned first). */
  async globalPins(viewer: Viewer): Promise<TopicSummary[]> {
    await this.state.unpinExpired(null);
    return this.summaries(viewer, await this.listing.globalPins(viewer));
  }

  /** The topic with one page of posts (by `?page=` or by cursor), oldest first. */
  async view(viewer: Viewer, access: TopicAccess, query: PostsQuery): Promise<TopicView> {
    const { topic, record, at, moderator } = access;
    const range =
      query.page !== null
        ? { ...pageRange(query.page, query.limit) }
        : { after: query.after ?? 0, through: null as number | null };
    const [{ rows, more }, summaries, read, promotion] = await Promise.all([
      this.listing.posts(viewer, topic.id, range, query.limit, moderator),
      this.summaries(viewer, [topic], new Map([[record.id, record]])),
      this.reading.readPosition(viewer?.id, topic.id),
      this.promotions.find(topic.id),
    ]);
    const context = { spaceId: topic.spaceId, solutionPostId: topic.solutionPostId, moderator };
    const items = await this.views.posts(viewer, rows, context);
    const last = rows[rows.length - 1];
    let nextCursor: string | null = null;
    if (query.page !== null) {
      if (range.through !== null && range.through < topic.lastPosition)
        nextCursor = encodeCursor({ after: range.through });
    } else if (more && last) nextCursor = encodeCursor({ after: last.position });
    let firstUnreadPosition: number | null = null;
    if (viewer) {
      const next = await this.listing.firstVisibleAfter(viewer, topic.id, read?.position ?? 0);
      firstUnreadPosition = next?.position ?? null;
    }
    const summary = summaries[0];
    return {
      ...summary,
      status: record.status,
      statusReason: moderator || viewer?.id === topic.authorId ? record.statusReason : null,
      category: {
        id: at.category.id,
        slug: at.category.slug,
        name: at.category.name,
        url: categoryUrl(at.category.slug),
      },
      firstPostId: topic.firstPostId,
      closeReason: topic.closed ? topic.closeReason : null,
      closedAt: topic.closed && topic.closedAt ? topic.closedAt.toISOString() : null,
      mergedIntoId: topic.mergedIntoId,
      solutionPostId: topic.solutionPostId,
      solution: await this.solution(viewer, topic, moderator),
      lastPosition: topic.lastPosition,
      perPage: query.limit,
      pageCount: pageCount(topic.lastPosition, query.limit),
      page: query.page,
      watchLevel: summary.me?.watchLevel ?? null,
      lastReadPostId: read?.postId ?? null,
      lastReadPosition: read?.position ?? null,
      firstUnreadPosition,
      promotion: promotion ? this.promotions.view(promotion) : null,
      posts: { items, nextCursor },
    };
  }

  /** The solution post if the viewer may see it. */
  private async solution(viewer: Viewer, topic: ForumTopic, moderator: boolean): Promise<PostView | null> {
    if (!topic.solutionPostId) return null;
    const post = await this.db.repository(ForumPost).findOneBy({ id: topic.solutionPostId, topicId: topic.id });
    if (!post) return null;
    let record: ContentRecord;
    try {
      record = await this.contents.getVisible(viewer, post.contentId);
    } catch (error) {
      if (error instanceof NotFoundException) return null;
      throw error;
    }
    if (record.status !== 'published') return null;
    const [view] = await this.views.posts(
      viewer,
      [post],
      { spaceId: topic.spaceId, solutionPostId: topic.solutionPostId, moderator },
      new Map([[record.id, record]]),
    );
    return view;
  }
}
