import { randomUUID } from 'node:crypto';
import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { Audit, Clock, Conflict, Contents, Database, EventBus, type UserRef } from '@plein/sdk';
import { In } from 'typeorm';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic, type PinScope } from '../entities/forum-topic.entity';
import {
  forumTopicClosed,
  forumTopicContent,
  forumTopicLocked,
  forumTopicMerged,
  forumTopicMoved,
  forumTopicPinned,
  forumTopicRenamed,
  forumTopicReopened,
  forumTopicSolved,
  forumTopicSplit,
  forumTopicUnlocked,
  forumTopicUnpinned,
  forumTopicUnsolved,
} from '../events';
import { forumPermissions } from '../permissions';
import { ForumAccessService, type CategoryAccess, type SignedInViewer, type TopicAccess } from './forum-access.service';
import { checkReason, checkTitle, checkUntil, FORUM_MESSAGES, idLike, invalid } from './forum-names';
import { ForumAudiencesService, categoryAudience } from './forum-audiences.service';
import { ForumNotifyService } from './forum-notify.service';
import { ForumReadingService } from './forum-reading.service';
import { ForumTopicStateService } from './forum-topic-state.service';
import { topicUrl } from './forum-view.service';

/** What `PATCH /topics/:id` may change. */
export interface TopicChange {
  /** `true` or `'category'`: pinned in its category; `'global'`: on top everywhere; `false`: unpinned. */
  pinned?: boolean | PinScope;
  /** When the pin ends (ISO-8601), or null for never. */
  pinnedUntil?: string | null;
  locked?: boolean;
  categoryId?: string;
  title?: string;
}

export interface SplitInput {
  postIds: string[];
  title: unknown;
  categoryId?: string | null;
}

/**
 * The moderators' tools: pin (in a category or everywhere, with an optional end), lock, close with
 * a reason, move, rename, split replies into a new topic, merge two topics, and the solution (which
 * the topic's author may also mark). Each action is recorded in core's audit log.
 */
@Injectable()
export class ForumModerationService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly audit: Audit,
    private readonly access: ForumAccessService,
    private readonly state: ForumTopicStateService,
    private readonly reading: ForumReadingService,
    private readonly notify: ForumNotifyService,
    private readonly audiences: ForumAudiencesService,
  ) {}

  private async moderating(viewer: SignedInViewer, topicId: string): Promise<TopicAccess> {
    const access = await this.access.topic(viewer, topicId);
    await this.access.assertIn(viewer, forumPermissions.moderate, access.at);
    if (access.topic.mergedIntoId)
      throw new Conflict('This topic was merged into another one', { mergedIntoId: access.topic.mergedIntoId });
    return access;
  }

  private async record(action: string, topic: ForumTopic, actorId: string, details: Record<string, unknown> = {}) {
    await this.audit.record({
      action,
      subject: `forum-topic:${topic.id}`,
      actorId,
      details: { title: topic.title, ...details },
    });
  }

  private payload(topic: ForumTopic, actorId: string | null) {
    return {
      topicId: topic.id,
      contentId: topic.contentId,
      categoryId: topic.categoryId,
      spaceId: topic.spaceId,
      title: topic.title,
      url: topicUrl(topic.id),
      actorId,
    };
  }

  /** `PATCH /topics/:id`: pin, lock, move and rename in one transaction. */
  async change(viewer: SignedInViewer, topicId: string, change: TopicChange): Promise<void> {
    const access = await this.moderating(viewer, topicId);
    let target: CategoryAccess | null = null;
    if (change.categoryId !== undefined && change.categoryId !== access.topic.categoryId) {
      target = await this.target(viewer, change.categoryId, access);
    }
    const title = change.title !== undefined ? checkTitle(change.title) : null;
    const pin = change.pinned !== undefined ? await this.pinFrom(viewer, change) : undefined;
    if (pin === undefined && change.pinnedUntil !== undefined && access.topic.pinned)
      checkUntil(change.pinnedUntil, this.clock.now());
    await this.db.transaction(async () => {
      const topic = { ...access.topic };
      if (pin !== undefined) await this.applyPin(viewer, topic, pin);
      else if (change.pinnedUntil !== undefined && topic.pinned) {
        const until = checkUntil(change.pinnedUntil, this.clock.now());
        await this.applyPin(viewer, topic, { scope: topic.pinScope ?? 'category', until });
      }
      if (change.locked !== undefined && change.locked !== Boolean(topic.locked)) {
        await this.db.repository(ForumTopic).update({ id: topic.id }, { locked: change.locked });
        await this.events.publish(
          change.locked ? forumTopicLocked : forumTopicUnlocked,
          this.payload(topic, viewer.id),
        );
        await this.record(change.locked ? 'forum.topic.locked' : 'forum.topic.unlocked', topic, viewer.id);
      }
      if (target) {
        const from = topic.categoryId;
        await this.db.repository(ForumTopic).update({ id: topic.id }, { categoryId: target.category.id });
        topic.categoryId = target.category.id;
        await this.audiences.moveTopic(topic, target.category.id);
        await this.state.recountCategory(from);
        await this.state.recountCategory(target.category.id);
        await this.events.publish(forumTopicMoved, { ...this.payload(topic, viewer.id), fromCategoryId: from });
        await this.record('forum.topic.moved', topic, viewer.id, { from, to: target.category.id });
      }
      if (title !== null && title !== topic.title) await this.rename(viewer, topic, title);
    });
  }

  /** A category a topic may move to: readable (else 422, not revealed), postable (else 403), same space. */
  private async target(viewer: SignedInViewer, ref: string, from: TopicAccess): Promise<CategoryAccess> {
    let target: CategoryAccess;
    try {
      target = await this.access.category(viewer, ref);
    } catch (error) {
      if (error instanceof NotFoundException) throw invalid('categoryId', FORUM_MESSAGES.categoryUnknown);
      throw error;
    }
    if (!(await this.access.can(viewer, 'create', target)))
      throw new ForbiddenException(
        `You may not start topics in the category '${target.category.name}', so you cannot move topics there`,
      );
    if (target.category.spaceId !== from.topic.spaceId) throw invalid('categoryId', FORUM_MESSAGES.otherSpace);
    return target;
  }

  private async pinFrom(
    viewer: SignedInViewer,
    change: TopicChange,
  ): Promise<{ scope: PinScope; until: Date | null } | null> {
    const value = change.pinned;
    if (value === false) return null;
    const scope: PinScope = value === 'global' ? 'global' : 'category';
    if (value !== true && value !== 'category' && value !== 'global')
      throw invalid('pinned', "must be true, false, 'category' or 'global'");
    // A pin on every list of the forum is a decision for those who moderate everywhere.
    if (scope === 'global' && !(await this.access.canInSpace(viewer, forumPermissions.moderate, null)))
      throw new ForbiddenException('Pinning a topic everywhere needs forum.topic.moderate outside any space');
    return { scope, until: checkUntil(change.pinnedUntil, this.clock.now()) };
  }

  private async applyPin(
    viewer: SignedInViewer,
    topic: ForumTopic,
    pin: { scope: PinScope; until: Date | null } | null,
  ) {
    if (pin === null) {
      if (!topic.pinned) return;
      await this.db.repository(ForumTopic).update({ id: topic.id }, { pinned: 0, pinScope: null, pinnedUntil: null });
      await this.events.publish(forumTopicUnpinned, { ...this.payload(topic, viewer.id), expired: false });
      await this.record('forum.topic.unpinned', topic, viewer.id);
      return;
    }
    await this.db
      .repository(ForumTopic)
      .update({ id: topic.id }, { pinned: 1, pinScope: pin.scope, pinnedUntil: pin.until });
    const until = pin.until ? pin.until.toISOString() : null;
    await this.events.publish(forumTopicPinned, { ...this.payload(topic, viewer.id), scope: pin.scope, until });
    await this.record('forum.topic.pinned', topic, viewer.id, { scope: pin.scope, until });
    topic.pinned = 1;
  }

  /** A new title: the topic's record is edited too (its title is what search and the gates see). */
  private async rename(viewer: SignedInViewer, topic: ForumTopic, title: string): Promise<void> {
    const opening = await this.db.repository(ForumPost).findOneBy({ topicId: topic.id, contentId: topic.contentId });
    const edited = await this.contents.edit(topic.contentId, {
      editorId: viewer.id,
      text: opening?.body ?? title,
      title,
    });
    const finalTitle = checkTitle(edited.title ?? title);
    await this.db
      .repository(ForumTopic)
      .update({ id: topic.id }, { title: finalTitle, status: edited.record.status, updatedAt: this.clock.now() });
    await this.events.publish(forumTopicRenamed, {
      ...this.payload(topic, viewer.id),
      title: finalTitle,
      previousTitle: topic.title,
    });
    await this.record('forum.topic.renamed', topic, viewer.id, { from: topic.title, to: finalTitle });
  }

  async close(viewer: SignedInViewer, topicId: string, reasonInput: unknown): Promise<void> {
    const access = await this.moderating(viewer, topicId);
    const reason = checkReason(reasonInput);
    const { topic } = access;
    await this.db.transaction(async () => {
      await this.db
        .repository(ForumTopic)
        .update(
          { id: topic.id },
          { closed: true, closeReason: reason, closedAt: this.clock.now(), closedBy: viewer.id },
        );
      await this.events.publish(forumTopicClosed, { ...this.payload(topic, viewer.id), reason });
      await this.record('forum.topic.closed', topic, viewer.id, { reason });
    });
  }

  async reopen(viewer: SignedInViewer, topicId: string): Promise<void> {
    const access = await this.moderating(viewer, topicId);
    const { topic } = access;
    if (!topic.closed) return;
    await this.db.transaction(async () => {
      await this.db
        .repository(ForumTopic)
        .update({ id: topic.id }, { closed: false, closeReason: null, closedAt: null, closedBy: null });
      await this.events.publish(forumTopicReopened, this.payload(topic, viewer.id));
      await this.record('forum.topic.reopened', topic, viewer.id, { reason: topic.closeReason });
    });
  }

  /**
   * Moves replies into a new topic (in the same category or another of the same space). The new
   * topic is a record of its own (`forum.topic`, its title as text, authored by the author of the
   * first reply moved); the replies keep their records and are numbered 1, 2, … there.
   */
  async split(viewer: SignedInViewer, topicId: string, input: SplitInput): Promise<ForumTopic> {
    const access = await this.moderating(viewer, topicId);
    const { topic } = access;
    const title = checkTitle(input.title);
    const target =
      input.categoryId && input.categoryId !== topic.categoryId
        ? await this.target(viewer, input.categoryId, access)
        : access.at;
    const ids = [...new Set(Array.isArray(input.postIds) ? input.postIds.filter(idLike) : [])];
    if (!ids.length) throw invalid('postIds', FORUM_MESSAGES.noPosts);
    const posts = await this.db
      .repository(ForumPost)
      .find({ where: { id: In(ids), topicId: topic.id }, order: { position: 'ASC' } });
    if (posts.length !== ids.length) throw invalid('postIds', FORUM_MESSAGES.postUnknown);
    if (posts.some((p) => p.opening || p.position === 1)) throw invalid('postIds', FORUM_MESSAGES.postIsOpening);
    const first = posts[0];
    return this.db.transaction(async () => {
      const submitted = await this.contents.submit({
        type: forumTopicContent,
        authorId: first.authorId,
        spaceId: topic.spaceId,
        title,
        text: title,
        audience: categoryAudience(target.category.id),
      });
      const now = this.clock.now();
      const created: ForumTopic = {
        ...topic,
        id: randomUUID(),
        contentId: submitted.record.id,
        categoryId: target.category.id,
        title: checkTitle(submitted.title ?? title),
        authorId: first.authorId,
        firstPostId: first.id,
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
        lastPosition: posts.length,
        lastPostPosition: 0,
        lastPostId: null,
        lastPosterId: first.authorId,
        lastActivityAt: first.createdAt,
        replyCount: 0,
        status: submitted.record.status,
        createdAt: first.createdAt,
        updatedAt: now,
      };
      await this.db.repository(ForumTopic).insert(created);
      for (const [i, post] of posts.entries())
        await this.db.repository(ForumPost).update({ id: post.id }, { topicId: created.id, position: i + 1 });
      if (created.categoryId !== topic.categoryId) await this.audiences.moveTopic(created, created.categoryId);
      if (topic.solutionPostId && ids.includes(topic.solutionPostId))
        await this.db.repository(ForumTopic).update({ id: topic.id }, { solutionPostId: null });
      await this.state.recount(topic.id);
      await this.state.recount(created.id);
      await this.state.recountCategory(created.categoryId);
      await this.reading.watchUnlessChosen(first.authorId, created.id);
      await this.events.publish(forumTopicSplit, {
        ...this.payload(topic, viewer.id),
        newTopicId: created.id,
        postIds: posts.map((p) => p.id),
      });
      await this.record('forum.topic.split', topic, viewer.id, {
        newTopicId: created.id,
        newTitle: created.title,
        posts: posts.length,
      });
      return created;
    });
  }

  /**
   * Merges a topic into another: its posts follow the target's, in their order (one UPDATE that
   * shifts their positions past the target's last one). The merged topic leaves every list and its
   * address leads to the target; its opening post keeps its record, so it stays the same content.
   */
  async merge(viewer: SignedInViewer, topicId: string, intoTopicId: string): Promise<ForumTopic> {
    const source = await this.moderating(viewer, topicId);
    if (!idLike(intoTopicId) || intoTopicId === source.topic.id)
      throw invalid(
        'intoTopicId',
        intoTopicId === source.topic.id ? FORUM_MESSAGES.sameTopic : FORUM_MESSAGES.topicUnknown,
      );
    let target: TopicAccess;
    try {
      target = await this.moderating(viewer, intoTopicId);
    } catch (error) {
      if (error instanceof NotFoundException || error instanceof Conflict)
        throw invalid('intoTopicId', FORUM_MESSAGES.topicUnknown);
      throw error;
    }
    if (target.topic.spaceId !== source.topic.spaceId) throw invalid('intoTopicId', FORUM_MESSAGES.otherSpace);
    return this.db.transaction(async () => {
      const offset = (await this.state.allocatePositions(target.topic.id, source.topic.lastPosition)) - 1;
      const moved = await this.db.repository(ForumPost).find({
        select: { id: true, contentId: true },
        where: { topicId: source.topic.id },
        order: { position: 'ASC' },
      });
      await this.db
        .repository(ForumPost)
        .createQueryBuilder()
        .update(ForumPost)
        .set({ topicId: target.topic.id, position: () => `position + ${Math.trunc(offset)}` })
        .where('topic_id = :source', { source: source.topic.id })
        .execute();
      // The moved posts (the merged topic's record is its opening post) take the target's category.
      if (target.topic.categoryId !== source.topic.categoryId)
        await this.audiences.setAudience(
          moved.map((p) => p.contentId),
          target.topic.categoryId,
        );
      await this.db
        .repository(ForumTopic)
        .update(
          { id: source.topic.id },
          { mergedIntoId: target.topic.id, solutionPostId: null, pinned: 0, pinScope: null, pinnedUntil: null },
        );
      await this.state.recount(target.topic.id);
      await this.state.recountCategory(source.topic.categoryId);
      await this.events.publish(forumTopicMerged, {
        ...this.payload(source.topic, viewer.id),
        intoTopicId: target.topic.id,
        postIds: moved.map((p) => p.id),
      });
      await this.record('forum.topic.merged', source.topic, viewer.id, {
        intoTopicId: target.topic.id,
        intoTitle: target.topic.title,
        posts: moved.length,
      });
      return target.topic;
    });
  }

  /** The topic's author or a moderator marks a published reply of this topic as its solution. */
  async markSolution(viewer: SignedInViewer & UserRef, topicId: string, postId: unknown): Promise<void> {
    const access = await this.access.topic(viewer, topicId);
    const { topic } = access;
    if (topic.authorId !== viewer.id) await this.access.assertIn(viewer, forumPermissions.moderate, access.at);
    if (!idLike(postId)) throw invalid('postId', FORUM_MESSAGES.postUnknown);
    const post = await this.db.repository(ForumPost).findOneBy({ id: postId });
    if (!post || post.topicId !== topic.id) throw invalid('postId', FORUM_MESSAGES.postUnknown);
    if (post.opening || post.position === 1) throw invalid('postId', FORUM_MESSAGES.postIsOpening);
    const record = await this.contents.get(post.contentId);
    if (record?.status !== 'published') throw invalid('postId', FORUM_MESSAGES.postUnknown);
    if (topic.solutionPostId === post.id) return;
    await this.db.transaction(async () => {
      await this.db.repository(ForumTopic).update({ id: topic.id }, { solutionPostId: post.id });
      await this.events.publish(forumTopicSolved, {
        ...this.payload(topic, viewer.id),
        postId: post.id,
        postAuthorId: post.authorId,
      });
      await this.record('forum.topic.solved', topic, viewer.id, { postId: post.id, previous: topic.solutionPostId });
      await this.notify.solutionMarked(topic, post, viewer);
    });
  }

  async unmarkSolution(viewer: SignedInViewer, topicId: string): Promise<void> {
    const access = await this.access.topic(viewer, topicId);
    const { topic } = access;
    if (topic.authorId !== viewer.id) await this.access.assertIn(viewer, forumPermissions.moderate, access.at);
    if (!topic.solutionPostId) return;
    await this.db.transaction(async () => {
      await this.db.repository(ForumTopic).update({ id: topic.id }, { solutionPostId: null });
      await this.events.publish(forumTopicUnsolved, this.payload(topic, viewer.id));
      await this.record('forum.topic.unsolved', topic, viewer.id, { postId: topic.solutionPostId });
    });
  }
}
