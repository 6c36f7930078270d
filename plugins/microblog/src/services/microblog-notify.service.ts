import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database, Notifications, Users, type UserRef } from '@plein/sdk';
import { In, IsNull } from 'typeorm';
import { MicroblogMention } from '../entities/microblog-mention.entity';
import { MicroblogPost } from '../entities/microblog-post.entity';

/** The notification kinds the microblog sends (declared in the manifest's `notificationKinds`). */
export const NOTIFICATION_KINDS = {
  mentioned: 'microblog.post.mentioned',
  replied: 'microblog.post.replied',
  accepted: 'microblog.answer.accepted',
} as const;

export const postUrl = (id: string) => `/microblog/posts/${id}`;

/**
 * Tells people about posts: those mentioned, the author of the post replied to, and the author of
 * an accepted answer. Mentions and replies are told once, when the post is published (a held post
 * tells nobody until a moderator approves it), and only people who may read the post.
 */
@Injectable()
export class MicroblogNotifyService {
  constructor(
    private readonly db: Database,
    private readonly notifications: Notifications,
    private readonly contents: Contents,
    private readonly users: Users,
    private readonly clock: Clock,
  ) {}

  /**
   * Keeps a row per person the current text mentions. A mention removed before anyone was told is
   * forgotten; one already told stays told, so editing a mention out and in again is not a new
   * notification.
   */
  async recordMentions(postId: string, userIds: readonly string[]): Promise<void> {
    const repo = this.db.repository(MicroblogMention);
    const existing = await repo.findBy({ postId });
    const wanted = new Set(userIds);
    const stale = existing.filter((m) => !wanted.has(m.userId) && m.notifiedAt === null).map((m) => m.userId);
    if (stale.length) await repo.delete({ postId, userId: In(stale) });
    const known = new Set(existing.map((m) => m.userId));
    const fresh = [...wanted].filter((id) => !known.has(id));
    if (fresh.length) await repo.insert(fresh.map((userId) => ({ postId, userId, notifiedAt: null })));
  }

  private async canRead(userId: string, contentId: string): Promise<boolean> {
    try {
      const record = await this.contents.getVisible({ id: userId }, contentId);
      return record.status === 'published';
    } catch {
      return false;
    }
  }

  /** Tells those mentioned in a published post who were not told yet. */
  async notifyMentions(post: MicroblogPost): Promise<void> {
    const waiting = await this.db.repository(MicroblogMention).findBy({ postId: post.id, notifiedAt: IsNull() });
    if (!waiting.length) return;
    const writer = await this.users.findById(post.editorId);
    const name = writer?.displayName ?? 'Someone';
    const recipients: string[] = [];
    for (const mention of waiting)
      if (mention.userId !== post.editorId && (await this.canRead(mention.userId, post.contentId)))
        recipients.push(mention.userId);
    await this.db.transaction(async () => {
      await this.db.repository(MicroblogMention).update(
        { postId: post.id, userId: In(waiting.map((m) => m.userId)), notifiedAt: IsNull() },
        {
          notifiedAt: this.clock.now(),
        },
      );
      await this.notifications.notify(recipients, {
        kind: NOTIFICATION_KINDS.mentioned,
        title: `${name} mentioned you`,
        titleKey: 'microblog.notification.mentioned',
        params: { name },
        url: postUrl(post.id),
        contentId: post.contentId,
      });
    });
  }

  /** Tells the author of the post (or question) replied to, once, unless the mention already did. */
  async notifyReply(reply: MicroblogPost): Promise<void> {
    if (!reply.replyToId || reply.notifiedAt) return;
    const parent = await this.db.repository(MicroblogPost).findOneBy({ id: reply.replyToId });
    await this.db.transaction(async () => {
      const claimed = await this.db
        .repository(MicroblogPost)
        .update({ id: reply.id, notifiedAt: IsNull() }, { notifiedAt: this.clock.now() });
      if (!claimed.affected || !parent || parent.authorId === reply.authorId) return;
      const mentioned = await this.db
        .repository(MicroblogMention)
        .existsBy({ postId: reply.id, userId: parent.authorId });
      if (mentioned || !(await this.canRead(parent.authorId, reply.contentId))) return;
      const name = (await this.users.findById(reply.authorId))?.displayName ?? 'Someone';
      const question = parent.kind === 'question';
      await this.notifications.notify([parent.authorId], {
        kind: NOTIFICATION_KINDS.replied,
        title: question ? `${name} answered your question` : `${name} replied to your post`,
        titleKey: question ? 'microblog.notification.answered' : 'microblog.notification.replied',
        params: { name },
        url: `${postUrl(parent.id)}#microblog.post-${reply.id}`,
        contentId: reply.contentId,
      });
    });
  }

  /** Tells the author of a reply that it was accepted as the answer to a question. */
  async notifyAccepted(question: MicroblogPost, answer: MicroblogPost, by: UserRef): Promise<void> {
    if (answer.authorId === by.id) return;
    await this.notifications.notify([answer.authorId], {
      kind: NOTIFICATION_KINDS.accepted,
      title: `${by.displayName} accepted your answer`,
      titleKey: 'microblog.notification.accepted',
      params: { name: by.displayName },
      url: postUrl(question.id),
      contentId: answer.contentId,
    });
  }
}
