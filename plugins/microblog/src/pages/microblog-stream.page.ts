import { Body, Controller, Get, NotFoundException, Param, Post, Query } from '@nestjs/common';
import {
  Clock,
  CurrentUser,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
  type SpaceRef,
} from '@plein/sdk';
import { latestCursor, streamRequest } from '../controllers/api-support';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, signedIn, type Viewer } from '../services/microblog-access.service';
import { MicroblogFollowsService } from '../services/microblog-follows.service';
import {
  MicroblogStreamsService,
  type QuestionState,
  type StreamPage,
  type StreamRequest,
} from '../services/microblog-streams.service';
import { tagFrom } from '../services/post-text';
import { boardCursor, readBoardCursor } from '../services/stream-cursor';
import { MicroblogPageData } from './microblog-page-data';
import { flash, formValues } from './page-support';

/** Posts per page of a stream. */
const PAGE_SIZE = 20;
const STATES: QuestionState[] = ['all', 'unanswered', 'answered'];

/**
 * The streams: `/microblog` (home), `/microblog/all`, `/microblog/spaces/<slug>` (pinned posts
 * first), `/microblog/users/<handle>`, `/microblog/tags/<tag>`, and the question boards. Each
 * page is a plain list with an "Older posts" link; with JavaScript on, a small script asks the same
 * address with `?since=` for posts newer than the newest shown and adds them at the top.
 */
@Controller()
export class MicroblogStreamPage {
  constructor(
    private readonly streams: MicroblogStreamsService,
    private readonly follows: MicroblogFollowsService,
    private readonly access: MicroblogAccessService,
    private readonly data: MicroblogPageData,
    private readonly clock: Clock,
  ) {}

  private request(cursor?: string, since?: string): StreamRequest {
    return streamRequest({ limit: String(PAGE_SIZE), cursor, since });
  }

  /** What every stream view shows: the cards, the "older" link, and where to poll for newer posts. */
  private async stream(viewer: Viewer, page: StreamPage, request: StreamRequest, here: string) {
    const polling = request.direction === 'newer' || !request.from;
    return {
      posts: await this.data.cards(viewer, page.posts, here),
      older: request.direction === 'older' ? this.data.olderUrl(page, here) : null,
      poll: polling
        ? { url: here, since: latestCursor(page, request, this.clock.now()), seconds: await this.data.pollSeconds() }
        : null,
      here,
    };
  }

  @Get()
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/stream')
  async home(
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<PageData | PageRedirect> {
    if (!user) return redirect('/microblog/all');
    const request = this.request(cursor, since);
    const page = await this.streams.home(user, request);
    return {
      title: 'microblog.home.title',
      tab: 'home',
      lead: 'microblog.home.lead',
      empty: 'microblog.home.empty',
      composer: await this.data.composer(user, { returnTo: '/microblog' }),
      ...(await this.stream(user, page, request, '/microblog')),
    };
  }

  @Get('all')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/stream')
  async all(
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<PageData> {
    const request = this.request(cursor, since);
    const page = await this.streams.all(user, request);
    return {
      title: 'microblog.all.title',
      tab: 'all',
      lead: 'microblog.all.lead',
      empty: 'microblog.all.empty',
      composer: await this.data.composer(user, { returnTo: '/microblog/all' }),
      ...(await this.stream(user, page, request, '/microblog/all')),
    };
  }

  @Get('questions')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/questions')
  async questions(
    @CurrentUser() user: SignedInUser | null,
    @Query('state') state?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    return {
      title: 'microblog.questions.title',
      tab: 'questions',
      ...(await this.board(user, undefined, state, cursor, '/microblog/questions')),
    };
  }

  @Get('spaces/:space')
  @RequirePermission(microblogPermissions.read)
  @InSpace('params.space')
  @Render('microblog/stream')
  async space(
    @Param('space') ref: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<PageData> {
    const space = await this.readSpace(user, ref);
    const here = `/microblog/spaces/${encodeURIComponent(space.slug)}`;
    const request = this.request(cursor, since);
    const pins = await this.streams.pins(user, space.id);
    const page = await this.streams.space(
      user,
      space.id,
      request,
      pins.map((p) => p.id),
    );
    const summary = { id: space.id, slug: space.slug, name: space.name };
    return {
      title: space.name,
      tab: null,
      lead: null,
      empty: 'microblog.space.empty',
      space: { ...summary, following: await this.follows.followsSpace(user, space.id), canFollow: user !== null },
      pinned: request.from ? [] : await this.data.cards(user, pins, here),
      composer: await this.data.composer(user, { returnTo: here, space: summary }),
      ...(await this.stream(user, page, request, here)),
    };
  }

  @Get('spaces/:space/questions')
  @RequirePermission(microblogPermissions.read)
  @InSpace('params.space')
  @Render('microblog/questions')
  async spaceQuestions(
    @Param('space') ref: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('state') state?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const space = await this.readSpace(user, ref);
    const here = `/microblog/spaces/${encodeURIComponent(space.slug)}/questions`;
    return {
      title: space.name,
      space: { id: space.id, slug: space.slug, name: space.name },
      tab: null,
      ...(await this.board(user, space.id, state, cursor, here)),
    };
  }

  @Post('spaces/:space/follow')
  @RequirePermission(microblogPermissions.follow)
  @InSpace('params.space')
  async followSpace(
    @Param('space') ref: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { action } = formValues(body, ['action']);
    const space =
      action === 'unfollow'
        ? await this.follows.unfollowSpace(viewer, ref)
        : await this.follows.followSpace(viewer, ref);
    return redirect(
      `/microblog/spaces/${encodeURIComponent(space.slug)}`,
      flash('success', action === 'unfollow' ? 'microblog.flash.unfollowedSpace' : 'microblog.flash.followedSpace', {
        name: space.name,
      }),
    );
  }

  @Get('users/:handle')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/stream')
  async profile(
    @Param('handle') handle: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<PageData> {
    const profile = await this.follows.profile(user, handle);
    const here = `/microblog/users/${encodeURIComponent(profile.user.handle)}`;
    const request = this.request(cursor, since);
    const page = await this.streams.profile(user, profile.user.id, request);
    return {
      title: profile.user.displayName,
      tab: null,
      lead: null,
      empty: 'microblog.profile.empty',
      profile: { ...profile, canFollow: user !== null && !profile.me },
      composer: null,
      ...(await this.stream(user, page, request, here)),
    };
  }

  @Post('users/:handle/follow')
  @RequirePermission(microblogPermissions.follow)
  async followUser(
    @Param('handle') handle: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { action } = formValues(body, ['action']);
    const person = await this.follows.user(handle);
    const back = `/microblog/users/${encodeURIComponent(person.handle)}`;
    if (action === 'unfollow') {
      await this.follows.unfollowUser(viewer, person.id);
      return redirect(back, flash('success', 'microblog.flash.unfollowed', { name: person.displayName }));
    }
    if (person.id === viewer.id) return redirect(back, flash('error', 'microblog.flash.followSelf'));
    await this.follows.followUser(viewer, person.id);
    return redirect(back, flash('success', 'microblog.flash.followed', { name: person.displayName }));
  }

  @Get('tags/:tag')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/stream')
  async tag(
    @Param('tag') value: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
    @Query('since') since?: string,
  ): Promise<PageData> {
    const tag = tagFrom(value);
    if (!tag) throw new NotFoundException(`'${value}' is not a hashtag`);
    const here = `/microblog/tags/${encodeURIComponent(tag)}`;
    const request = this.request(cursor, since);
    const page = await this.streams.tag(user, tag, request);
    return {
      title: `#${tag}`,
      tab: null,
      lead: 'microblog.tag.lead',
      tag,
      empty: 'microblog.tag.empty',
      composer: null,
      ...(await this.stream(user, page, request, here)),
    };
  }

  // ----- helpers

  private async readSpace(user: Viewer, ref: string): Promise<SpaceRef> {
    const space = await this.access.space(user, ref);
    await this.access.assertInSpace(user, microblogPermissions.read, space.id);
    return space;
  }

  private async board(
    user: Viewer,
    spaceId: string | undefined,
    stateParam: string | undefined,
    cursor: string | undefined,
    here: string,
  ) {
    const state = STATES.includes(stateParam as QuestionState) ? (stateParam as QuestionState) : 'all';
    const { posts, more } = await this.streams.questions(user, spaceId, state, PAGE_SIZE, readBoardCursor(cursor));
    const last = posts[posts.length - 1];
    return {
      state,
      states: STATES.map((s) => ({
        value: s,
        url: s === 'all' ? here : `${here}?state=${s}`,
        current: s === state,
      })),
      posts: await this.data.cards(user, posts, here),
      older:
        more && last
          ? `${here}?${state === 'all' ? '' : `state=${state}&`}cursor=${encodeURIComponent(boardCursor(last.answered ? 1 : 0, last))}`
          : null,
      here,
    };
  }
}
