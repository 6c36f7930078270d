import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import {
  Clock,
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InSpace,
  parseLimit,
  RequirePermission,
  type Page,
  type SignedInUser,
} from '@plein/sdk';
import { AnswerDto, CreatePostDto, PinDto, ReactDto, UpdatePostDto } from '../dto/post.dto';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, type PostAccess, type Viewer } from '../services/microblog-access.service';
import { MicroblogPostsService } from '../services/microblog-posts.service';
import { MicroblogPromotionService, type PromotionView } from '../services/microblog-promotion.service';
import { MicroblogReactionsService } from '../services/microblog-reactions.service';
import { MicroblogStreamsService } from '../services/microblog-streams.service';
import { MicroblogViewService, type EditView, type PostView } from '../services/microblog-view.service';
import { readStreamCursor, streamCursor } from '../services/stream-cursor';
import { streamAnswer, streamRequest, type StreamAnswer } from './api-support';
import { postSpace } from '../services/microblog-spaces.service';

/** One post with its conversation, as `GET /posts/:id` answers it. */
export interface PostDetail extends PostView {
  /** Direct replies, oldest first (`?limit=`, `?cursor=` page through them). */
  replies: Page<PostView>;
  /** Former versions, newest first (the 20 latest; `GET /posts/:id/edits` has them all). */
  edits: EditView[];
  /** For a question with an accepted answer the viewer may see: that reply. */
  acceptedAnswer: PostView | null;
  /** For a question promoted to the wiki (or being promoted): where that stands, and the page. */
  promotion: PromotionView | null;
}

/** The part of Fastify's reply a handler uses to answer 202 for a held post. */
interface ReplyLike {
  status(code: number): ReplyLike;
}

/**
 * Posts: `/api/v1/microblog/posts…` (API.md, "Microblog"). Routes about one post name
 * `microblog.post.read` for the guard and check the precise permission in the post's space in
 * the service, since the space is known only once the post is loaded.
 */
@Controller('posts')
@InSpace(postSpace)
export class MicroblogPostsController {
  constructor(
    private readonly posts: MicroblogPostsService,
    private readonly access: MicroblogAccessService,
    private readonly streams: MicroblogStreamsService,
    private readonly views: MicroblogViewService,
    private readonly reactions: MicroblogReactionsService,
    private readonly promotions: MicroblogPromotionService,
    private readonly clock: Clock,
  ) {}

  /** 201 with the post; 202 when a gate holds it for review (`status: 'pending'`, `statusReason`). */
  @Post()
  @RequirePermission(microblogPermissions.create, { space: 'body.spaceId' })
  async create(
    @Body() body: CreatePostDto,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PostDetail> {
    const created = await this.posts.create(user, body);
    if (created.record.status === 'pending') reply.status(202);
    return this.detail(user, created, null, 20);
  }

  /** Everyone's threads the caller may see, newest first (`?since=` for newer ones). */
  @Get()
  @RequirePermission(microblogPermissions.read)
  async all(
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<StreamAnswer> {
    const request = streamRequest({ limit, cursor, since });
    const page = await this.streams.all(user, request);
    return streamAnswer(page, await this.views.describe(user, page.posts), request, this.clock.now());
  }

  @Get(':id')
  @RequirePermission(microblogPermissions.read)
  async one(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PostDetail> {
    return this.detail(user, await this.access.read(user, id), cursor, parseLimit(limit));
  }

  @Get(':id/replies')
  @RequirePermission(microblogPermissions.read)
  async replies(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PostView>> {
    const take = parseLimit(limit);
    const { post } = await this.access.read(user, id);
    return this.replyPage(user, post.id, take, cursor);
  }

  /** Former versions, newest first. */
  @Get(':id/edits')
  @RequirePermission(microblogPermissions.read)
  async edits(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<EditView>> {
    const take = parseLimit(limit);
    const { post } = await this.access.read(user, id);
    const before = decodeCursor<{ before?: unknown }>(cursor);
    const { items, more } = await this.views.edits(
      post.id,
      take,
      typeof before?.before === 'number' ? before.before : null,
    );
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor({ before: last.version }) : null };
  }

  /** New text; the former one is kept in `edits`. `version` (optional) detects a stale edit: 409. */
  @Put(':id')
  @RequirePermission(microblogPermissions.read)
  async update(
    @Param('id') id: string,
    @Body() body: UpdatePostDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostDetail> {
    return this.detail(user, await this.posts.update(user, id, body), null, 20);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(microblogPermissions.read)
  async remove(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    await this.posts.delete(user, id);
  }

  /** Adds the caller's reaction (adding it again changes nothing) and answers with the post. */
  @Post(':id/reactions')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async react(
    @Param('id') id: string,
    @Body() body: ReactDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView> {
    await this.reactions.react(user, id, body.emoji);
    return this.views.one(user, (await this.access.read(user, id)).post);
  }

  @Delete(':id/reactions/:emoji')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async unreact(
    @Param('id') id: string,
    @Param('emoji') emoji: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView> {
    await this.reactions.unreact(user, id, emoji);
    return this.views.one(user, (await this.access.read(user, id)).post);
  }

  /** On a question, by its author or a moderator of its space: `{ replyId }` becomes the accepted answer. */
  @Post(':id/answer')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async accept(
    @Param('id') id: string,
    @Body() body: AnswerDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostDetail> {
    return this.detail(user, await this.posts.accept(user, id, body.replyId), null, 20);
  }

  /** Withdraws the accepted answer. */
  @Delete(':id/answer')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async unaccept(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PostDetail> {
    return this.detail(user, await this.posts.unaccept(user, id), null, 20);
  }

  /**
   * Promote to wiki: a question with an accepted answer becomes a wiki page in its space (by its
   * author, or a moderator of its space who may create wiki pages there). 202 with the promotion
   * (`status: 'requested'`; the wiki makes the page in a moment, then `GET /posts/:id` answers it
   * under `promotion.page`); 409 when the question is not answered or already promoted (with the
   * promotion); 404 when the wiki is not installed or is disabled.
   */
  @Post(':id/promote')
  @HttpCode(202)
  @RequirePermission(microblogPermissions.read)
  async promote(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PromotionView> {
    return this.promotions.view(await this.promotions.promote(user, id));
  }

  /** Space moderators: pins a thread at the top of its space, `{ until? }` (ISO 8601; absent: until unpinned). */
  @Post(':id/pin')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async pin(
    @Param('id') id: string,
    @Body() body: PinDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView> {
    const pinned = await this.posts.pin(user, id, body.until ? new Date(body.until) : null);
    return this.views.one(user, pinned.post);
  }

  @Delete(':id/pin')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  async unpin(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PostView> {
    return this.views.one(user, (await this.posts.unpin(user, id)).post);
  }

  private async replyPage(
    viewer: Viewer,
    postId: string,
    limit: number,
    cursor: string | null | undefined,
  ): Promise<Page<PostView>> {
    const page = await this.streams.replies(viewer, postId, limit, readStreamCursor(cursor ?? undefined));
    const last = page.posts[page.posts.length - 1];
    return {
      items: await this.views.describe(viewer, page.posts),
      nextCursor: page.more && last ? streamCursor(last) : null,
    };
  }

  private async detail(
    viewer: Viewer,
    access: PostAccess,
    cursor: string | null | undefined,
    limit: number,
  ): Promise<PostDetail> {
    const { post } = access;
    const [view, replies, edits, answer, promotion] = await Promise.all([
      this.views.one(viewer, post),
      this.replyPage(viewer, post.id, limit, cursor),
      this.views.edits(post.id, 20, null),
      post.acceptedAnswerId ? this.access.post(post.acceptedAnswerId).catch(() => null) : null,
      post.kind === 'question' ? this.promotions.find(post.id) : null,
    ]);
    const visibleAnswer = answer && (await this.access.canRead(viewer, answer)) ? answer : null;
    return {
      ...view,
      replies,
      edits: edits.items,
      acceptedAnswer: visibleAnswer ? await this.views.one(viewer, visibleAnswer) : null,
      promotion: promotion ? this.promotions.view(promotion) : null,
    };
  }
}
