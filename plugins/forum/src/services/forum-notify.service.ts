import { Injectable } from '@nestjs/common';
import { Database, Notifications, Spaces, type UserRef } from '@plein/sdk';
import type { ForumCategory } from '../entities/forum-category.entity';
import type { ForumPost } from '../entities/forum-post.entity';
import type { ForumTopic } from '../entities/forum-topic.entity';
import { ForumWatch } from '../entities/forum-watch.entity';
import { effectiveRule, parseGrants, ruleAllows } from './forum-grants';
import { postUrl } from './forum-view.service';

/** The notification kinds the forum declares (users choose a channel for each). */
export const FORUM_NOTIFICATIONS = {
  replied: 'forum.topic.replied',
  mentioned: 'forum.post.mentioned',
  quoted: 'forum.post.quoted',
  solution: 'forum.post.solution',
} as const;

export const forumNotificationKinds = [
  { kind: FORUM_NOTIFICATIONS.replied, label: 'A reply in a forum topic I watch', defaultChannel: 'in-app' as const },
  {
    kind: FORUM_NOTIFICATIONS.mentioned,
    label: 'Someone mentioned me in the forum',
    defaultChannel: 'in-app' as const,
  },
  {
    kind: FORUM_NOTIFICATIONS.quoted,
    label: 'Someone quoted my forum post in a reply',
    defaultChannel: 'in-app' as const,
  },
  {
    kind: FORUM_NOTIFICATIONS.solution,
    label: 'My forum reply was marked as the solution',
    defaultChannel: 'in-app' as const,
  },
];

export interface PublishedPost {
  topic: ForumTopic;
  category: ForumCategory;
  parent: ForumCategory | null;
  post: ForumPost;
  author: UserRef;
  mentions: UserRef[];
}

/**
 * Who hears about a published post, once each, by the watch levels: `watching` hears of every
 * reply, `normal` of mentions and quotes of their posts, `muted` of nothing from the topic. The
 * author never hears of their own post; in a private space only its members hear anything.
 */
@Injectable()
export class ForumNotifyService {
  constructor(
    private readonly db: Database,
    private readonly notifications: Notifications,
    private readonly spaces: Spaces,
  ) {}

  async postPublished(event: PublishedPost): Promise<void> {
    const { topic, post, author } = event;
    const watches = await this.db
      .repository(ForumWatch)
      .find({ select: { userId: true, level: true }, where: { topicId: topic.id } });
    const muted = new Set(watches.filter((w) => w.level === 'muted').map((w) => w.userId));
    const chosen = new Map<string, string>();
    const add = (userId: string, kind: string) => {
      if (userId !== author.id && !muted.has(userId) && !chosen.has(userId)) chosen.set(userId, kind);
    };
    for (const person of event.mentions) add(person.id, FORUM_NOTIFICATIONS.mentioned);
    if (post.quoteAuthorId) add(post.quoteAuthorId, FORUM_NOTIFICATIONS.quoted);
    if (!post.opening)
      for (const w of watches.filter((w) => w.level === 'watching')) add(w.userId, FORUM_NOTIFICATIONS.replied);
    const allowed = await this.mayRead(event, [...chosen.keys()], new Set(event.mentions.map((m) => m.id)));
    const byKind = new Map<string, string[]>();
    for (const [userId, kind] of chosen)
      if (allowed.has(userId)) (byKind.get(kind) ?? byKind.set(kind, []).get(kind)!).push(userId);
    const params = { name: author.displayName, title: topic.title };
    const titles: Record<string, string> = {
      [FORUM_NOTIFICATIONS.mentioned]: `${author.displayName} mentioned you in “${topic.title}”`,
      [FORUM_NOTIFICATIONS.quoted]: `${author.displayName} quoted you in “${topic.title}”`,
      [FORUM_NOTIFICATIONS.replied]: `${author.displayName} replied in “${topic.title}”`,
    };
    const keys: Record<string, string> = {
      [FORUM_NOTIFICATIONS.mentioned]: 'forum.notification.mentioned',
      [FORUM_NOTIFICATIONS.quoted]: 'forum.notification.quoted',
      [FORUM_NOTIFICATIONS.replied]: 'forum.notification.replied',
    };
    for (const [kind, userIds] of byKind)
      await this.notifications.notify(userIds, {
        kind,
        title: titles[kind],
        titleKey: keys[kind],
        params,
        url: postUrl(post.id),
        contentId: post.contentId,
      });
  }

  async solutionMarked(topic: ForumTopic, post: ForumPost, by: UserRef): Promise<void> {
    if (post.authorId === by.id) return;
    await this.notifications.notify([post.authorId], {
      kind: FORUM_NOTIFICATIONS.solution,
      title: `Your reply in “${topic.title}” was marked as the solution`,
      titleKey: 'forum.notification.solution',
      params: { title: topic.title, name: by.displayName },
      url: postUrl(post.id),
      contentId: post.contentId,
    });
  }

  /**
   * The recipients who may read the topic: members of a private space; and, where the category
   * limits reading, those the rule names by `anonymous`, `member` or their space role. Global roles
   * of other people are not known to plugins (see the README, "SDK gaps"), so a mention does not
   * reach someone let in only by a global role; watchers chose the topic when they could read it.
   */
  private async mayRead(event: PublishedPost, userIds: string[], mentioned: Set<string>): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    let allowed = userIds;
    const spaceId = event.category.spaceId;
    if (spaceId) {
      const space = await this.spaces.find(spaceId);
      if (space?.visibility === 'private') {
        const members = new Set(await this.spaces.members(spaceId));
        allowed = allowed.filter((u) => members.has(u));
      }
    }
    const rule = effectiveRule(
      parseGrants(event.category.grants),
      event.parent ? parseGrants(event.parent.grants) : null,
      'read',
    );
    if (rule) {
      const kept: string[] = [];
      for (const userId of allowed) {
        if (!mentioned.has(userId)) {
          kept.push(userId);
          continue;
        }
        const spaceRole = spaceId ? await this.spaces.roleOf(userId, spaceId) : null;
        if (ruleAllows(rule, { signedIn: true, roles: [], spaceRole })) kept.push(userId);
      }
      allowed = kept;
    }
    return new Set(allowed);
  }
}
