import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Audit, Clock, Conflict, Contents, Database, EventBus, Settings, type ContentRecord } from '@plein/sdk';
import { ForumPostRevision } from '../entities/forum-post-revision.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import {
  forumPostContent,
  forumPostCreated,
  forumPostDeleted,
  forumPostEdited,
  forumPostRestored,
  forumTopicDeleted,
  forumTopicRenamed,
  forumTopicRestored,
} from '../events';
import { forumPermissions } from '../permissions';
import type { ForumSettings } from '../settings';
import {
  ForumAccessService,
  type PostAccess,
  type SignedInViewer,
  type TopicAccess,
  type Viewer,
} from './forum-access.service';
import { checkBody, checkTitle, FORUM_MESSAGES, invalid, TopicLockedError } from './forum-names';
import { categoryAudience } from './forum-audiences.service';
import { ForumNotifyService } from './forum-notify.service';
import { ForumReadingService } from './forum-reading.service';
import { ForumRenderService } from './forum-render.service';
import { ForumTopicStateService } from './forum-topic-state.service';
import { postUrl, topicUrl } from './forum-view.service';

export interface ReplyInput {
  body: unknown;
  quotePostId?: string | null;
}

export interface EditInput {
  body?: unknown;
  /** A new title, for the opening post only. */
  title?: unknown;
  baseVersion: number;
}

export interface RevisionView {
  version: number;
  title: string | null;
  body: string;
  editorId: string;
  createdAt: string;
  current: boolean;
}

/** Thrown inside the save transaction when the conditional update found another version. */
class StaleVersion extends Error {}

/**
 * Replies, edits (with their history and no lost updates), deletion and restoration of posts.
 * Replies are created with `Contents.submit` and edits go through `Contents.edit`, inside the
 * transaction that writes the forum's rows, so events and notifications leave after the commit.
 */
@Injectable()
export class ForumPostsService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly settings: Settings,
    private readonly audit: Audit,
    private readonly access: ForumAccessService,
    private readonly renderer: ForumRenderService,
    private readonly reading: ForumReadingService,
    private readonly notify: ForumNotifyService,
    private readonly state: ForumTopicStateService,
  ) {}

  private async limit(): Promise<number> {
    return (await this.settings.get<ForumSettings>()).maxPostBytes;
  }

  /** 423 for a locked topic (no replies, no edits) or a closed one (no replies), except for its moderators. */
  private assertOpen(access: TopicAccess, change: 'reply' | 'edit'): void {
    const { topic, moderator } = access;
    if (moderator) return;
    if (topic.locked)
      throw new TopicLockedError('This topic is locked: it takes no replies or edits', { locked: true });
    if (topic.closed && change === 'reply')
      throw new TopicLockedError(`This topic is closed: ${topic.closeReason ?? ''}`.trim(), {
        closed: true,
        closeReason: topic.closeReason,
      });
  }

  private assertLive(access: TopicAccess): void {
    if (access.topic.mergedIntoId)
      throw new Conflict('This topic was merged into another one', { mergedIntoId: access.topic.mergedIntoId });
    if (access.record.status === 'deleted' || access.record.status === 'hidden')
      throw new Conflict('This topic is removed: restore it first');
    if (access.record.status === 'pending')
      throw new Conflict('This topic is waiting for review; replies can follow once it is published');
  }

  async reply(
    viewer: SignedInViewer,
    topicId: string,
    input: ReplyInput,
  ): Promise<{ post: ForumPost; record: ContentRecord }> {
    const access = await this.access.topic(viewer, topicId);
    this.assertLive(access);
    await this.access.assertCan(viewer, 'reply', access.at);
    this.assertOpen(access, 'reply');
    const body = checkBody(input.body, await this.limit());
    let quote: ForumPost | null = null;
    if (input.quotePostId) {
      try {
        const source = await this.access.post(viewer, input.quotePostId);
        if (source.postRecord.status === 'published') quote = source.post;
      } catch (error) {
        if (!(error instanceof NotFoundException)) throw error;
      }
      if (!quote) throw invalid('quotePostId', FORUM_MESSAGES.quoteUnknown);
    }
    const { topic, at } = access;
    return this.db.transaction(async () => {
      const position = await this.state.allocatePositions(topic.id);
      const submitted = await this.contents.submit({
        type: forumPostContent,
        authorId: viewer.id,
        spaceId: topic.spaceId,
        text: body,
        audience: categoryAudience(topic.categoryId),
      });
      const rendered = await this.renderer.render(submitted.text);
      const now = submitted.record.createdAt;
      const post: ForumPost = {
        id: randomUUID(),
        contentId: submitted.record.id,
        topicId: topic.id,
        position,
        opening: false,
        authorId: viewer.id,
        body: submitted.text,
        html: rendered.html,
        version: 1,
        quotePostId: quote?.id ?? null,
        quoteAuthorId: quote?.authorId ?? null,
        quoteBody: quote?.body ?? null,
        quoteHtml: quote?.html ?? null,
        status: submitted.record.status,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        editorId: null,
      };
      await this.db.repository(ForumPost).insert(post);
      const published = submitted.record.status === 'published';
      if (published) {
        await this.db.repository(ForumTopic).update(
          { id: topic.id },
          {
            lastPostPosition: position,
            lastPostId: post.id,
            lastPosterId: viewer.id,
            lastActivityAt: now,
            replyCount: () => 'reply_count + 1',
          },
        );
      }
      await this.reading.markRead(viewer.id, topic.id, post);
      await this.events.publish(forumPostCreated, {
        ...this.payload(topic, post, viewer.id),
        status: published ? 'published' : 'pending',
        quotePostId: post.quotePostId,
        mentions: rendered.mentions.map((m) => m.handle),
      });
      if (published)
        await this.notify.postPublished({
          topic,
          category: at.category,
          parent: at.parent,
          post,
          author: viewer,
          mentions: rendered.mentions,
        });
      return { post, record: submitted.record };
    });
  }

  /**
   * Saves a new version of a post. The check that `baseVersion` is current and the write are one
   * conditional UPDATE (`… WHERE id = ? AND version = ?`) inside the transaction: of two edits from
   * the same base exactly one wins; the other answers 409 with both texts.
   */
  async edit(
    viewer: SignedInViewer,
    postId: string,
    input: EditInput,
  ): Promise<{ post: ForumPost; record: ContentRecord }> {
    const access = await this.access.post(viewer, postId);
    const { post, topic, at } = access;
    if (access.postRecord.status === 'deleted' || access.postRecord.status === 'hidden')
      throw new Conflict('This post is removed: restore it before editing it');
    await this.access.assertIn(viewer, forumPermissions.edit, at, post.authorId);
    this.assertOpen(access, 'edit');
    const body =
      input.body === undefined || input.body === null ? post.body : checkBody(input.body, await this.limit());
    let title: string | null = null;
    if (input.title !== undefined && input.title !== null) {
      if (!post.opening || post.contentId !== topic.contentId)
        throw invalid('title', 'only the opening post carries the title');
      title = checkTitle(input.title);
    }
    if (input.baseVersion !== post.version)
      throw this.conflict(post, topic, { body, title, baseVersion: input.baseVersion });
    if (body === post.body && (title === null || title === topic.title)) return { post, record: access.postRecord };
    try {
      return await this.db.transaction(async () => {
        const now = this.clock.now();
        const claimed = await this.db
          .repository(ForumPost)
          .createQueryBuilder()
          .update(ForumPost)
          .set({ version: input.baseVersion + 1, editorId: viewer.id, editedAt: now, updatedAt: now })
          .where('id = :id AND version = :base', { id: post.id, base: input.baseVersion })
          .execute();
        if (claimed.affected !== 1) throw new StaleVersion();
        await this.db.repository(ForumPostRevision).insert({
          postId: post.id,
          version: post.version,
          body: post.body,
          title: post.opening ? topic.title : null,
          editorId: post.editorId ?? post.authorId,
          createdAt: post.editedAt ?? post.createdAt,
        });
        const opening = post.contentId === topic.contentId;
        const edited = await this.contents.edit(post.contentId, {
          editorId: viewer.id,
          text: body,
          title: opening ? (title ?? topic.title) : null,
        });
        const rendered = await this.renderer.render(edited.text);
        const saved: ForumPost = {
          ...post,
          body: edited.text,
          html: rendered.html,
          version: input.baseVersion + 1,
          editedAt: now,
          editorId: viewer.id,
          updatedAt: now,
          status: edited.record.status,
        };
        await this.db
          .repository(ForumPost)
          .update({ id: post.id }, { body: saved.body, html: saved.html, status: saved.status });
        if (opening) {
          const finalTitle = checkTitle(edited.title ?? title ?? topic.title);
          await this.db
            .repository(ForumTopic)
            .update({ id: topic.id }, { title: finalTitle, status: edited.record.status, updatedAt: now });
          if (finalTitle !== topic.title)
            await this.events.publish(forumTopicRenamed, {
              ...this.topicPayload(topic, viewer.id),
              title: finalTitle,
              previousTitle: topic.title,
            });
        }
        if (edited.record.status !== access.postRecord.status) await this.state.recount(topic.id);
        await this.events.publish(forumPostEdited, {
          ...this.payload(topic, saved, viewer.id),
          version: saved.version,
        });
        return { post: saved, record: edited.record };
      });
    } catch (error) {
      if (error instanceof StaleVersion) {
        const fresh = await this.db.repository(ForumPost).findOneByOrFail({ id: post.id });
        throw this.conflict(fresh, topic, { body, title, baseVersion: input.baseVersion });
      }
      throw error;
    }
  }

  /** The 409 of a stale edit: the current text and version, and the text that was sent. */
  private conflict(
    current: ForumPost,
    topic: ForumTopic,
    yours: { body: string; title: string | null; baseVersion: number },
  ): Conflict {
    return new Conflict(
      `The post changed since version ${yours.baseVersion}: it is at version ${current.version} now. Merge your text into the current one and save again with baseVersion ${current.version}.`,
      {
        current: {
          version: current.version,
          body: current.body,
          title: current.opening ? topic.title : null,
          editorId: current.editorId ?? current.authorId,
          editedAt: current.editedAt ? current.editedAt.toISOString() : null,
        },
        yours,
      },
    );
  }

  /** Soft-deletes a post; the opening post takes its topic with it. */
  async delete(viewer: SignedInViewer, postId: string, reason: string | null): Promise<PostAccess> {
    const access = await this.access.post(viewer, postId);
    const { post, topic, at } = access;
    await this.access.assertIn(viewer, forumPermissions.delete, at, post.authorId);
    if (post.contentId === topic.contentId) {
      await this.deleteTopic(viewer, access, reason);
      return access;
    }
    if (access.postRecord.status === 'deleted') return access;
    await this.db.transaction(async () => {
      await this.contents.setStatus(post.contentId, 'deleted', { actorId: viewer.id, reason });
      await this.db.repository(ForumPost).update({ id: post.id }, { status: 'deleted' });
      if (topic.solutionPostId === post.id)
        await this.db.repository(ForumTopic).update({ id: topic.id }, { solutionPostId: null });
      await this.state.recount(topic.id);
      await this.events.publish(forumPostDeleted, this.payload(topic, post, viewer.id));
      await this.audit.record({
        action: 'forum.post.deleted',
        subject: `forum-post:${post.id}`,
        actorId: viewer.id,
        details: { topicId: topic.id, position: post.position, reason, own: post.authorId === viewer.id },
      });
    });
    return access;
  }

  /** Soft-deletes a topic (its record; the replies go with it from every list). */
  async deleteTopic(viewer: SignedInViewer, access: TopicAccess, reason: string | null): Promise<void> {
    const { topic, at } = access;
    await this.access.assertIn(viewer, forumPermissions.delete, at, topic.authorId);
    if (access.record.status === 'deleted') return;
    await this.db.transaction(async () => {
      await this.contents.setStatus(topic.contentId, 'deleted', { actorId: viewer.id, reason });
      await this.db.repository(ForumTopic).update({ id: topic.id }, { status: 'deleted' });
      await this.db
        .repository(ForumPost)
        .update({ topicId: topic.id, contentId: topic.contentId }, { status: 'deleted' });
      await this.state.recountCategory(topic.categoryId);
      await this.events.publish(forumTopicDeleted, this.topicPayload(topic, viewer.id));
      await this.audit.record({
        action: 'forum.topic.deleted',
        subject: `forum-topic:${topic.id}`,
        actorId: viewer.id,
        details: { title: topic.title, reason, own: topic.authorId === viewer.id },
      });
    });
  }

  /** Moderators bring back a deleted post (the opening post: its topic). */
  async restore(viewer: SignedInViewer, postId: string): Promise<PostAccess> {
    const access = await this.access.post(viewer, postId);
    const { post, topic, at } = access;
    await this.access.assertIn(viewer, forumPermissions.moderate, at);
    if (post.contentId === topic.contentId) {
      await this.restoreTopic(viewer, access);
      return access;
    }
    if (access.postRecord.status !== 'deleted') throw new Conflict('This post is not deleted');
    await this.db.transaction(async () => {
      await this.contents.setStatus(post.contentId, 'published', { actorId: viewer.id });
      await this.db.repository(ForumPost).update({ id: post.id }, { status: 'published' });
      await this.state.recount(topic.id);
      await this.events.publish(forumPostRestored, this.payload(topic, post, viewer.id));
      await this.audit.record({
        action: 'forum.post.restored',
        subject: `forum-post:${post.id}`,
        actorId: viewer.id,
        details: { topicId: topic.id, position: post.position },
      });
    });
    return access;
  }

  async restoreTopic(viewer: SignedInViewer, access: TopicAccess): Promise<void> {
    const { topic, at } = access;
    await this.access.assertIn(viewer, forumPermissions.moderate, at);
    if (access.record.status !== 'deleted') throw new Conflict('This topic is not deleted');
    await this.db.transaction(async () => {
      await this.contents.setStatus(topic.contentId, 'published', { actorId: viewer.id });
      await this.db.repository(ForumTopic).update({ id: topic.id }, { status: 'published' });
      await this.db
        .repository(ForumPost)
        .update({ topicId: topic.id, contentId: topic.contentId }, { status: 'published' });
      await this.state.recountCategory(topic.categoryId);
      await this.events.publish(forumTopicRestored, this.topicPayload(topic, viewer.id));
      await this.audit.record({
        action: 'forum.topic.restored',
        subject: `forum-topic:${topic.id}`,
        actorId: viewer.id,
        details: { title: topic.title },
      });
    });
  }

  /** Every version of a post, newest first: the current one, then the kept ones. */
  async revisions(viewer: Viewer, postId: string): Promise<{ access: PostAccess; items: RevisionView[] }> {
    const access = await this.access.post(viewer, postId);
    const { post, topic } = access;
    const kept = await this.db
      .repository(ForumPostRevision)
      .find({ where: { postId: post.id }, order: { version: 'DESC' }, take: 100 });
    const items: RevisionView[] = [
      {
        version: post.version,
        title: post.opening ? topic.title : null,
        body: post.body,
        editorId: post.editorId ?? post.authorId,
        createdAt: (post.editedAt ?? post.createdAt).toISOString(),
        current: true,
      },
      ...kept.map((r) => ({
        version: r.version,
        title: r.title,
        body: r.body,
        editorId: r.editorId,
        createdAt: r.createdAt.toISOString(),
        current: false,
      })),
    ];
    return { access, items };
  }

  private payload(topic: ForumTopic, post: ForumPost, actorId: string | null) {
    return {
      postId: post.id,
      contentId: post.contentId,
      topicId: topic.id,
      categoryId: topic.categoryId,
      spaceId: topic.spaceId,
      position: post.position,
      authorId: post.authorId,
      url: postUrl(post.id),
      actorId,
    };
  }

  private topicPayload(topic: ForumTopic, actorId: string | null) {
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
}
