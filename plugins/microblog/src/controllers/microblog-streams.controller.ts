import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  Clock,
  CurrentUser,
  InSpace,
  parseLimit,
  RequirePermission,
  type Page,
  type SignedInUser,
  type SpaceRef,
} from '@plein/sdk';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, signedIn } from '../services/microblog-access.service';
import { MicroblogFollowsService, type Profile } from '../services/microblog-follows.service';
import { MicroblogStreamsService, type QuestionState } from '../services/microblog-streams.service';
import { MicroblogViewService, type PostView } from '../services/microblog-view.service';
import { invalid, tagFrom } from '../services/post-text';
import { boardCursor, readBoardCursor } from '../services/stream-cursor';
import { streamAnswer, streamRequest, type StreamAnswer } from './api-support';

const STATES: QuestionState[] = ['all', 'unanswered', 'answered'];

/**
 * Streams and follows: the home timeline, a person's, a space's and a tag's posts, question
 * boards, and following people and spaces. Every stream answers `{ items, nextCursor,
 * latestCursor }` and takes `?limit=`, `?cursor=` and `?since=`.
 */
@Controller()
export class MicroblogStreamsController {
  constructor(
    private readonly streams: MicroblogStreamsService,
    private readonly views: MicroblogViewService,
    private readonly follows: MicroblogFollowsService,
    private readonly access: MicroblogAccessService,
    private readonly clock: Clock,
  ) {}

  /** Home: my posts, posts by people I follow, in spaces I follow or belong to (threads, newest first). */
  @Get('timeline')
  @RequirePermission(microblogPermissions.read)
  async timeline(
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<StreamAnswer> {
    const me = signedIn(user);
    const request = streamRequest({ limit, cursor, since });
    const page = await this.streams.home(me, request);
    return streamAnswer(page, await this.views.describe(me, page.posts), request, this.clock.now());
  }

  /** A person (by id or handle): followers, following, and whether I follow them. */
  @Get('users/:id')
  @RequirePermission(microblogPermissions.read)
  profile(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<Profile> {
    return this.follows.profile(user, id);
  }

  /** A person's posts and replies, newest first. */
  @Get('users/:id/posts')
  @RequirePermission(microblogPermissions.read)
  async userPosts(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<StreamAnswer> {
    const request = streamRequest({ limit, cursor, since });
    const person = await this.follows.user(id);
    const page = await this.streams.profile(user, person.id, request);
    return streamAnswer(page, await this.views.describe(user, page.posts), request, this.clock.now());
  }

  @Post('users/:id/follow')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.follow)
  followUser(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<Profile> {
    return this.follows.followUser(user, id);
  }

  @Delete('users/:id/follow')
  @HttpCode(204)
  @RequirePermission(microblogPermissions.follow)
  async unfollowUser(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    await this.follows.unfollowUser(user, id);
  }

  /**
   * A space's threads (id or slug), newest first; the first page starts with the posts pinned
   * there (`pinned` set), most recently pinned first, then `limit` others.
   */
  @Get('spaces/:id/posts')
  @RequirePermission(microblogPermissions.read, { space: 'params.id' })
  async spacePosts(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<StreamAnswer> {
    const request = streamRequest({ limit, cursor, since });
    const space = await this.access.space(user, id);
    const pins = await this.streams.pins(user, space.id);
    const page = await this.streams.space(
      user,
      space.id,
      request,
      pins.map((p) => p.id),
    );
    const answer = streamAnswer(page, await this.views.describe(user, page.posts), request, this.clock.now());
    if (request.from) return answer;
    return { ...answer, items: [...(await this.views.describe(user, pins)), ...answer.items] };
  }

  @Post('spaces/:id/follow')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.follow, { space: 'params.id' })
  async followSpace(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<{ space: SpaceRef; following: boolean }> {
    return { space: await this.follows.followSpace(user, id), following: true };
  }

  @Delete('spaces/:id/follow')
  @HttpCode(204)
  @RequirePermission(microblogPermissions.follow, { space: 'params.id' })
  async unfollowSpace(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    await this.follows.unfollowSpace(user, id);
  }

  /** Posts with a hashtag (case-insensitive), newest first. */
  @Get('tags/:tag')
  @RequirePermission(microblogPermissions.read)
  async tag(
    @Param('tag') value: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<StreamAnswer> {
    const request = streamRequest({ limit, cursor, since });
    const tag = tagFrom(value);
    if (!tag) throw invalid('tag', 'must be a hashtag: letters, digits, _ and -, not only digits');
    const page = await this.streams.tag(user, tag, request);
    return streamAnswer(page, await this.views.describe(user, page.posts), request, this.clock.now());
  }

  /**
   * Questions, unanswered first, then newest first. `?spaceId=` (id or slug; `-` for
   * organisation-wide ones; absent: everywhere), `?state=all|unanswered|answered`.
   */
  @Get('questions')
  @RequirePermission(microblogPermissions.read)
  @InSpace('query.spaceId')
  async questions(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceRef?: string,
    @Query('state') stateParam?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PostView>> {
    const take = parseLimit(limit);
    const state = (stateParam || 'all') as QuestionState;
    if (!STATES.includes(state)) throw invalid('state', "must be 'all', 'unanswered' or 'answered'");
    const spaceId =
      spaceRef === undefined || spaceRef === ''
        ? undefined
        : spaceRef === '-'
          ? null
          : (await this.access.space(user, spaceRef)).id;
    if (spaceId) await this.access.assertInSpace(user, microblogPermissions.read, spaceId);
    const { posts, more } = await this.streams.questions(user, spaceId, state, take, readBoardCursor(cursor));
    const last = posts[posts.length - 1];
    return {
      items: await this.views.describe(user, posts),
      nextCursor: more && last ? boardCursor(last.answered ? 1 : 0, last) : null,
    };
  }
}
