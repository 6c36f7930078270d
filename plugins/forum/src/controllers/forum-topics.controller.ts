import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  CurrentUser,
  Database,
  decodeCursor,
  InSpace,
  parseLimit,
  RequirePermission,
  Settings,
  type SignedInUser,
} from '@plein/sdk';
import {
  CloseTopicDto,
  MergeTopicDto,
  ReadPositionDto,
  ReplyDto,
  SolutionDto,
  SplitTopicDto,
  UpdateTopicDto,
  WatchDto,
} from '../dto/forum.dto';
import { ForumPost } from '../entities/forum-post.entity';
import { forumPermissions } from '../permissions';
import type { ForumSettings } from '../settings';
import { ForumAccessService, signedIn, type Viewer } from '../services/forum-access.service';
import { ForumModerationService } from '../services/forum-moderation.service';
import { FORUM_MESSAGES, invalid, wholeNumber } from '../services/forum-names';
import { pageOf } from '../services/forum-paging';
import { ForumPostsService } from '../services/forum-posts.service';
import { ForumPromotionService, type PromotionView } from '../services/forum-promotion.service';
import { ForumReadingService } from '../services/forum-reading.service';
import { ForumTopicsService, type TopicView } from '../services/forum-topics.service';
import { ForumViewService, type PostView } from '../services/forum-view.service';
import { forumSpaceOf } from '../services/forum-spaces.service';

/**
 * Topics: reading one with a page of its posts, replying, and the moderators' tools. Every route
 * names `forum.topic.read` for the guard; what the action needs (reply, moderate, the author of
 * the topic) is checked in the category's space once the topic is loaded.
 */
@Controller('topics')
@InSpace(forumSpaceOf.topic)
export class ForumTopicsController {
  constructor(
    private readonly db: Database,
    private readonly settings: Settings,
    private readonly access: ForumAccessService,
    private readonly topics: ForumTopicsService,
    private readonly posts: ForumPostsService,
    private readonly moderation: ForumModerationService,
    private readonly reading: ForumReadingService,
    private readonly views: ForumViewService,
    private readonly promotions: ForumPromotionService,
  ) {}

  /**
   * The topic with its posts oldest first: `?page=n` (page n of `limit` posts, by position) or
   * `?cursor=` (the next posts), and the caller's `lastReadPostId`.
   */
  @Get(':id')
  @RequirePermission(forumPermissions.read)
  async one(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('page') page?: string,
  ): Promise<TopicView> {
    return this.describe(user, id, { limit, cursor, page });
  }

  private async describe(
    viewer: Viewer,
    id: string,
    query: { limit?: string; cursor?: string; page?: string } = {},
  ): Promise<TopicView> {
    const take = parseLimit(query.limit);
    const after = decodeCursor<{ after: number }>(query.cursor);
    if (after && !(Number.isInteger(after.after) && after.after >= 0))
      throw invalid('cursor', 'is not a cursor this list gave out');
    const page = query.page === undefined || query.page === '' ? null : wholeNumber(query.page, 'page');
    const access = await this.access.topic(viewer, id);
    return this.topics.view(viewer, access, { limit: take, after: after?.after ?? null, page });
  }

  /** Moderators: `{ pinned?, pinnedUntil?, locked?, categoryId?, title? }`. */
  @Patch(':id')
  @RequirePermission(forumPermissions.read)
  async change(
    @Param('id') id: string,
    @Body() body: UpdateTopicDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.moderation.change(viewer, id, body);
    return this.describe(viewer, id);
  }

  /** Soft delete (the author with `delete-own`, or `forum.topic.delete`); `?reason=` is shown to the author. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(forumPermissions.read)
  async remove(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('reason') reason?: string,
  ): Promise<void> {
    const viewer = signedIn(user);
    await this.posts.deleteTopic(viewer, await this.access.topic(viewer, id), reason?.slice(0, 500) || null);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async restore(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.posts.restoreTopic(viewer, await this.access.topic(viewer, id));
    return this.describe(viewer, id);
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async close(
    @Param('id') id: string,
    @Body() body: CloseTopicDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.moderation.close(viewer, id, body.reason);
    return this.describe(viewer, id);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async reopen(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.moderation.reopen(viewer, id);
    return this.describe(viewer, id);
  }

  /** Moves replies into a new topic: `{ postIds, title, categoryId? }` → the new topic. */
  @Post(':id/split')
  @RequirePermission(forumPermissions.read)
  async split(
    @Param('id') id: string,
    @Body() body: SplitTopicDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    const created = await this.moderation.split(viewer, id, body);
    return this.describe(viewer, created.id);
  }

  /** Merges this topic into `intoTopicId` → the target topic. */
  @Post(':id/merge')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async merge(
    @Param('id') id: string,
    @Body() body: MergeTopicDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    const target = await this.moderation.merge(viewer, id, body.intoTopicId);
    return this.describe(viewer, target.id);
  }

  /** The topic's author or a moderator: `{ postId }`, a reply of this topic (422 otherwise). */
  @Post(':id/solution')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async solve(
    @Param('id') id: string,
    @Body() body: SolutionDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.moderation.markSolution(viewer, id, body.postId);
    return this.describe(viewer, id);
  }

  @Delete(':id/solution')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async unsolve(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<TopicView> {
    const viewer = signedIn(user);
    await this.moderation.unmarkSolution(viewer, id);
    return this.describe(viewer, id);
  }

  /**
   * Promote to wiki: a solved topic becomes a wiki page in its space (by its author, or a moderator
   * of its category who may create wiki pages there). 202 with the promotion (`status: 'requested'`;
   * the wiki makes the page in a moment, then `GET /topics/:id` answers it under `promotion.page`);
   * 409 when the topic is not solved or already promoted (with the promotion); 404 when the wiki is
   * not installed or is disabled.
   */
  @Post(':id/promote')
  @HttpCode(202)
  @RequirePermission(forumPermissions.read)
  async promote(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PromotionView> {
    return this.promotions.view(await this.promotions.promote(user, id));
  }

  @Put(':id/watch')
  @RequirePermission(forumPermissions.read)
  async watch(
    @Param('id') id: string,
    @Body() body: WatchDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<{ level: string }> {
    const viewer = signedIn(user);
    const { topic } = await this.access.topic(viewer, id);
    await this.reading.setLevel(viewer.id, topic.id, body.level);
    return { level: body.level };
  }

  /** Sets the read position to a post of this topic (it may move back: "mark unread from here"). */
  @Put(':id/read')
  @RequirePermission(forumPermissions.read)
  async read(
    @Param('id') id: string,
    @Body() body: ReadPositionDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<{ lastReadPostId: string; lastReadPosition: number; unreadCount: number }> {
    const viewer = signedIn(user);
    const { topic } = await this.access.topic(viewer, id);
    const post = await this.db.repository(ForumPost).findOneBy({ id: body.postId, topicId: topic.id });
    if (!post) throw invalid('postId', FORUM_MESSAGES.postUnknown);
    const read = await this.reading.markRead(viewer.id, topic.id, post, 'exact');
    return {
      lastReadPostId: read.postId,
      lastReadPosition: read.position,
      unreadCount: Math.max(0, topic.lastPostPosition - read.position),
    };
  }

  /** A reply `{ body, quotePostId? }` → the post; 423 when the topic is locked or closed. */
  @Post(':id/posts')
  @RequirePermission(forumPermissions.read)
  async reply(
    @Param('id') id: string,
    @Body() body: ReplyDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView & { page: number }> {
    const viewer = signedIn(user);
    const { post, record } = await this.posts.reply(viewer, id, body);
    const access = await this.access.topic(viewer, id);
    const [view] = await this.views.posts(
      viewer,
      [post],
      { spaceId: access.topic.spaceId, solutionPostId: access.topic.solutionPostId, moderator: access.moderator },
      new Map([[record.id, record]]),
    );
    const { postsPerPage } = await this.settings.get<ForumSettings>();
    return { ...view, page: pageOf(post.position, postsPerPage) };
  }
}
