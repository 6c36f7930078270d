import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import {
  Clock,
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import type { MicroblogPost } from '../entities/microblog-post.entity';
import { microblogPermissions } from '../permissions';
import { isId, MicroblogAccessService, signedIn, type Viewer } from '../services/microblog-access.service';
import { postUrl } from '../services/microblog-notify.service';
import { MicroblogPostsService } from '../services/microblog-posts.service';
import { MicroblogPromotionService } from '../services/microblog-promotion.service';
import { MicroblogReactionsService } from '../services/microblog-reactions.service';
import { MicroblogStreamsService } from '../services/microblog-streams.service';
import { MicroblogViewService } from '../services/microblog-view.service';
import { reactionOf } from '../services/post-text';
import { readStreamCursor, streamCursor } from '../services/stream-cursor';
import { MicroblogPageData } from './microblog-page-data';
import {
  backTo,
  emptyForm,
  flash,
  formFromError,
  formValues,
  type MicroblogForm,
  type ReplyLike,
} from './page-support';
import { postSpace } from '../services/microblog-spaces.service';

const COMPOSE_FIELDS = ['body', 'spaceId', 'replyToId', 'kind', 'returnTo'] as const;
/** Replies per page of a thread. */
const REPLIES = 50;
/** How far up a thread the page shows the posts replied to. */
const ANCESTORS = 10;
/** Pin durations offered by the form, in hours (0: until unpinned). */
const PIN_HOURS: Record<string, number> = { '': 0, '1h': 1, '1d': 24, '1w': 24 * 7, '30d': 24 * 30 };

/**
 * One post and what one does with it: the thread page (`/microblog/posts/<id>`: the posts it
 * replies to, the post, the accepted answer right under a question, the replies, a reply form),
 * the composer page (`/microblog/compose`, where a refused post comes back with its problems),
 * editing with its history, and the buttons (react, accept an answer, pin, delete) as forms.
 */
@Controller()
@InSpace(postSpace)
export class MicroblogPostPage {
  constructor(
    private readonly access: MicroblogAccessService,
    private readonly posts: MicroblogPostsService,
    private readonly reactions: MicroblogReactionsService,
    private readonly streams: MicroblogStreamsService,
    private readonly views: MicroblogViewService,
    private readonly data: MicroblogPageData,
    private readonly promotions: MicroblogPromotionService,
    private readonly clock: Clock,
  ) {}

  // ----- writing

  /** The composer on its own page: `?replyTo=` a post, or `?space=` a space. */
  @Get('compose')
  @RequirePermission(microblogPermissions.create)
  @InSpace('query.space')
  @Render('microblog/compose')
  async composeForm(
    @CurrentUser() user: SignedInUser | null,
    @Query('replyTo') replyTo?: string,
    @Query('space') space?: string,
    @Query('kind') kind?: string,
  ): Promise<PageData> {
    const viewer = signedIn(user);
    return this.composePage(
      viewer,
      emptyForm({
        replyToId: typeof replyTo === 'string' ? replyTo : '',
        spaceId: typeof space === 'string' ? space : '',
        kind: kind === 'question' ? 'question' : 'post',
      }),
    );
  }

  @Post('posts')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.create, { space: 'body.spaceId' })
  @Render('microblog/compose')
  async create(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, COMPOSE_FIELDS);
    try {
      const { post, record } = await this.posts.create(viewer, {
        body: values.body ?? '',
        spaceId: values.spaceId || null,
        replyToId: values.replyToId || null,
        kind: values.kind === 'question' ? 'question' : 'post',
      });
      if (record.status === 'pending')
        return redirect(
          postUrl(post.id),
          flash('warning', 'microblog.flash.held', { reason: record.statusReason ?? '' }),
        );
      const anchor = `#microblog.post-${post.id}`;
      const back = post.replyToId ? `${postUrl(post.replyToId)}${anchor}` : backTo(values.returnTo, '/microblog');
      const key = post.replyToId
        ? 'microblog.flash.replied'
        : post.kind === 'question'
          ? 'microblog.flash.asked'
          : 'microblog.flash.posted';
      return redirect(back.includes('#') ? back : `${back}${anchor}`, flash('success', key));
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.composePage(viewer, again.form);
    }
  }

  private async composePage(viewer: NonNullable<Viewer>, form: MicroblogForm): Promise<PageData> {
    const replyId = form.values.replyToId;
    let replyTo = null;
    let replyCard = null;
    if (replyId) {
      const { post } = await this.access.read(viewer, replyId);
      [replyCard] = await this.data.cards(viewer, [post], postUrl(post.id));
      replyTo = replyCard;
    }
    let space = null;
    if (!replyTo && form.values.spaceId) {
      const found = await this.access.space(viewer, form.values.spaceId);
      space = { id: found.id, slug: found.slug, name: found.name };
    }
    const returnTo = backTo(
      form.values.returnTo,
      space ? `/microblog/spaces/${encodeURIComponent(space.slug)}` : '/microblog',
    );
    const composer = await this.data.composer(viewer, { returnTo, replyTo, space, form, prefix: 'compose' });
    if (!composer)
      await this.access.assertInSpace(viewer, microblogPermissions.create, replyTo?.spaceId ?? space?.id ?? null);
    return {
      title: replyTo ? 'microblog.compose.replyTitle' : 'microblog.compose.title',
      composer,
      replyTo: replyCard,
    };
  }

  // ----- reading

  @Get('posts/:id')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/thread')
  async thread(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const { post } = await this.access.read(user, id);
    const here = postUrl(post.id);
    const ancestors = await this.ancestors(user, post);
    const replies = await this.streams.replies(user, post.id, REPLIES, readStreamCursor(cursor));
    const question = post.kind === 'question' ? post : null;
    let answer: MicroblogPost | null = null;
    if (question?.acceptedAnswerId) {
      const candidate = await this.access.post(question.acceptedAnswerId).catch(() => null);
      if (candidate && (await this.access.canRead(user, candidate))) answer = candidate;
    }
    const [[card], ancestorCards, replyCards, answerCards] = await Promise.all([
      this.data.cards(user, [post], here),
      this.data.cards(user, ancestors, here),
      // The accepted answer is shown right under the question, not again among the replies.
      this.data.cards(
        user,
        replies.posts.filter((r) => r.id !== answer?.id),
        here,
        question,
      ),
      this.data.cards(user, answer ? [answer] : [], here, question),
    ]);
    const last = replies.posts[replies.posts.length - 1];
    return {
      title: post.kind === 'question' ? 'microblog.thread.questionTitle' : 'microblog.thread.title',
      post: card,
      ancestors: ancestorCards,
      answer: answerCards[0] ?? null,
      replies: replyCards,
      moreReplies: replies.more && last ? `${here}?cursor=${encodeURIComponent(streamCursor(last))}` : null,
      composer: card.can.reply ? await this.data.composer(user, { returnTo: here, replyTo: card }) : null,
      signedIn: user !== null,
      promotion: question ? await this.promotions.panel(user, question) : null,
    };
  }

  /** The posts a reply answers, from the top of the thread down; stops at one the viewer may not see. */
  private async ancestors(viewer: Viewer, post: MicroblogPost): Promise<MicroblogPost[]> {
    const chain: MicroblogPost[] = [];
    let next = post.replyToId;
    while (next && chain.length < ANCESTORS) {
      const parent = await this.access.post(next).catch(() => null);
      if (!parent || !(await this.access.canRead(viewer, parent))) break;
      chain.unshift(parent);
      next = parent.replyToId;
    }
    return chain;
  }

  @Get('posts/:id/history')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/history')
  async history(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const { post } = await this.access.read(user, id);
    const before = decodeCursor<{ before?: unknown }>(cursor);
    const edits = await this.views.edits(post.id, 50, typeof before?.before === 'number' ? before.before : null);
    const [card] = await this.data.cards(user, [post], postUrl(post.id));
    const last = edits.items[edits.items.length - 1];
    return {
      title: 'microblog.history.title',
      post: card,
      edits: edits.items,
      older:
        edits.more && last
          ? `${postUrl(post.id)}/history?cursor=${encodeURIComponent(encodeCursor({ before: last.version }))}`
          : null,
    };
  }

  // ----- editing

  @Get('posts/:id/edit')
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/edit')
  async editForm(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedIn(user);
    const { post } = await this.access.read(viewer, id);
    await this.access.assert(viewer, microblogPermissions.edit, post);
    return this.editPage(viewer, post, emptyForm({ body: post.body, version: String(post.version) }));
  }

  @Post('posts/:id/edit')
  @HttpCode(200)
  @RequirePermission(microblogPermissions.read)
  @Render('microblog/edit')
  async save(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['body', 'version']);
    const version = Number(values.version);
    try {
      const before = await this.access.post(id);
      const { post, record } = await this.posts.update(viewer, id, {
        body: values.body ?? '',
        version: Number.isInteger(version) && version > 0 ? version : null,
      });
      if (record.status === 'pending')
        return redirect(
          postUrl(post.id),
          flash('warning', 'microblog.flash.editHeld', { reason: record.statusReason ?? '' }),
        );
      return redirect(
        postUrl(post.id),
        flash('success', post.version === before.version ? 'microblog.flash.unchanged' : 'microblog.flash.edited'),
      );
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      const post = await this.access.post(id);
      if (again.status === 409) {
        // Someone saved first: show their text, keep mine, and base the next save on theirs.
        return {
          ...(await this.editPage(viewer, post, {
            ...again.form,
            values: { ...values, version: String(post.version) },
          })),
          current: post.body,
        };
      }
      return this.editPage(viewer, post, again.form);
    }
  }

  private async editPage(viewer: NonNullable<Viewer>, post: MicroblogPost, form: MicroblogForm): Promise<PageData> {
    const [card] = await this.data.cards(viewer, [post], postUrl(post.id));
    return { title: 'microblog.edit.title', post: card, form, limit: await this.data.limit(), current: null };
  }

  // ----- buttons

  @Post('posts/:id/delete')
  @RequirePermission(microblogPermissions.read)
  async delete(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { post } = await this.access.read(viewer, id);
    await this.posts.delete(viewer, id);
    const back = post.replyToId
      ? postUrl(post.replyToId)
      : post.spaceId
        ? `/microblog/spaces/${encodeURIComponent((await this.access.space(viewer, post.spaceId)).slug)}`
        : '/microblog';
    return redirect(back, flash('success', 'microblog.flash.deleted'));
  }

  /** `react`: `add:<name>` or `remove:<name>` (one button per emoji, so a double click adds once). */
  @Post('posts/:id/react')
  @RequirePermission(microblogPermissions.read)
  async react(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { react, returnTo } = formValues(body, ['react', 'returnTo']);
    const [mode, name] = (react ?? '').split(':');
    const emoji = reactionOf(name);
    const back = backTo(returnTo, postUrl(id));
    if (!emoji || (mode !== 'add' && mode !== 'remove'))
      return redirect(back, flash('error', 'microblog.flash.unknownReaction'));
    if (mode === 'add') await this.reactions.react(viewer, id, emoji);
    else await this.reactions.unreact(viewer, id, emoji);
    return redirect(
      back,
      flash('success', mode === 'add' ? 'microblog.flash.reacted' : 'microblog.flash.unreacted', { emoji }),
    );
  }

  /** On a question: `replyId` is accepted as its answer (`remove` withdraws the acceptance). */
  @Post('posts/:id/answer')
  @RequirePermission(microblogPermissions.read)
  async answer(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { replyId, action } = formValues(body, ['replyId', 'action']);
    if (action === 'remove') {
      await this.posts.unaccept(viewer, id);
      return redirect(postUrl(id), flash('success', 'microblog.flash.unaccepted'));
    }
    try {
      await this.posts.accept(viewer, id, replyId);
    } catch (error) {
      if (error instanceof HttpException && (error.getStatus() === 422 || error.getStatus() === 409))
        return redirect(postUrl(id), flash('error', 'microblog.flash.notAnswer'));
      throw error;
    }
    return redirect(
      `${postUrl(id)}#microblog.post-${isId(replyId) ? replyId : id}`,
      flash('success', 'microblog.flash.accepted'),
    );
  }

  /** Promote to wiki: the question becomes a wiki page; back to the question with what happened. */
  @Post('posts/:id/promote')
  @RequirePermission(microblogPermissions.read)
  async promote(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedIn(user);
    try {
      const promotion = await this.promotions.promote(viewer, id);
      return redirect(postUrl(id), flash('success', 'microblog.flash.promoted', { title: promotion.title }));
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 409) throw error;
      const promotion = (error.getResponse() as { promotion?: { page: { title: string } | null } }).promotion;
      if (promotion?.page)
        return redirect(postUrl(id), flash('info', 'microblog.flash.alreadyPromoted', { title: promotion.page.title }));
      if (promotion) return redirect(postUrl(id), flash('info', 'microblog.flash.beingPromoted'));
      return redirect(postUrl(id), flash('error', 'microblog.flash.notPromotable'));
    }
  }

  /** `duration`: '' (until unpinned), `1h`, `1d`, `1w`, `30d`; `action=remove` unpins. */
  @Post('posts/:id/pin')
  @RequirePermission(microblogPermissions.read)
  async pin(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { duration, action, returnTo } = formValues(body, ['duration', 'action', 'returnTo']);
    const back = backTo(returnTo, postUrl(id));
    if (action === 'remove') {
      await this.posts.unpin(viewer, id);
      return redirect(back, flash('success', 'microblog.flash.unpinned'));
    }
    const hours = PIN_HOURS[duration ?? ''] ?? 0;
    const { post } = await this.posts.pin(
      viewer,
      id,
      hours ? new Date(this.clock.now().getTime() + hours * 3_600_000) : null,
    );
    return redirect(
      back,
      post.pinnedUntil
        ? flash('success', 'microblog.flash.pinnedUntil', {
            until: `${post.pinnedUntil.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          })
        : flash('success', 'microblog.flash.pinned'),
    );
  }
}
