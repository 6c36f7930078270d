import { defineContentType, defineEvent, defineJob } from '@plein/sdk';

/**
 * A topic is content: its title and opening post share one record, so gates, moderation, search
 * and the activity stream see a new topic once, and hiding it hides the whole thread.
 */
export const forumTopicContent = defineContentType('forum.topic', {
  displayName: 'Forum topic',
  urlPattern: '/forum/t/{id}',
});

/** A reply is content of its own (each can be held, reported, hidden). */
export const forumPostContent = defineContentType('forum.post', {
  displayName: 'Forum post',
  urlPattern: '/forum/posts/{id}',
});

/** What every `forum.topic.*` event says about the topic. */
export interface ForumTopicEventPayload {
  topicId: string;
  contentId: string;
  categoryId: string;
  /** The category's space; null for organisation-wide categories. */
  spaceId: string | null;
  title: string;
  /** `/forum/t/<id>` */
  url: string;
  actorId: string | null;
}

/** What every `forum.post.*` event says about the post. */
export interface ForumPostEventPayload {
  postId: string;
  contentId: string;
  topicId: string;
  categoryId: string;
  spaceId: string | null;
  /** 1 for the opening post, then 2, 3, … in the order of replies. */
  position: number;
  authorId: string;
  /** `/forum/posts/<id>` (answers 303 to the page of the topic that shows it). */
  url: string;
  actorId: string | null;
}

export interface ForumCategoryEventPayload {
  categoryId: string;
  slug: string;
  name: string;
  spaceId: string | null;
  actorId: string;
}

const topicEvent = (name: string, description: string) => defineEvent<ForumTopicEventPayload>(name, { description });

export const forumTopicCreated = defineEvent<
  ForumTopicEventPayload & { firstPostId: string; status: 'published' | 'pending'; tags: string[] }
>('forum.topic.created', { description: 'A forum topic was started' });
export const forumTopicRenamed = defineEvent<ForumTopicEventPayload & { previousTitle: string }>(
  'forum.topic.renamed',
  {
    description: 'A forum topic got a new title',
  },
);
export const forumTopicMoved = defineEvent<ForumTopicEventPayload & { fromCategoryId: string }>('forum.topic.moved', {
  description: 'A forum topic moved to another category',
});
export const forumTopicPinned = defineEvent<
  ForumTopicEventPayload & { scope: 'category' | 'global'; until: string | null }
>('forum.topic.pinned', { description: 'A forum topic was pinned' });
export const forumTopicUnpinned = defineEvent<ForumTopicEventPayload & { expired: boolean }>('forum.topic.unpinned', {
  description: 'A forum topic was unpinned (by a moderator, or its pin expired)',
});
export const forumTopicLocked = topicEvent('forum.topic.locked', 'A forum topic was locked');
export const forumTopicUnlocked = topicEvent('forum.topic.unlocked', 'A forum topic was unlocked');
export const forumTopicClosed = defineEvent<ForumTopicEventPayload & { reason: string }>('forum.topic.closed', {
  description: 'A forum topic was closed',
});
export const forumTopicReopened = topicEvent('forum.topic.reopened', 'A closed forum topic was reopened');
export const forumTopicSolved = defineEvent<ForumTopicEventPayload & { postId: string; postAuthorId: string }>(
  'forum.topic.solved',
  { description: 'A reply was marked as the solution of a forum topic' },
);
export const forumTopicUnsolved = topicEvent('forum.topic.unsolved', 'The solution of a forum topic was unmarked');
export const forumTopicSplit = defineEvent<ForumTopicEventPayload & { newTopicId: string; postIds: string[] }>(
  'forum.topic.split',
  { description: 'Replies of a forum topic were moved into a new topic' },
);
export const forumTopicMerged = defineEvent<ForumTopicEventPayload & { intoTopicId: string; postIds: string[] }>(
  'forum.topic.merged',
  { description: 'A forum topic was merged into another' },
);
export const forumTopicDeleted = topicEvent('forum.topic.deleted', 'A forum topic was deleted');
export const forumTopicRestored = topicEvent('forum.topic.restored', 'A deleted forum topic was restored');

export const forumPostCreated = defineEvent<
  ForumPostEventPayload & { status: 'published' | 'pending'; quotePostId: string | null; mentions: string[] }
>('forum.post.created', { description: 'A reply was posted in a forum topic' });
export const forumPostEdited = defineEvent<ForumPostEventPayload & { version: number }>('forum.post.edited', {
  description: 'A forum post was edited',
});
export const forumPostDeleted = defineEvent<ForumPostEventPayload>('forum.post.deleted', {
  description: 'A forum post was deleted',
});
export const forumPostRestored = defineEvent<ForumPostEventPayload>('forum.post.restored', {
  description: 'A deleted forum post was restored',
});

export const forumCategoryCreated = defineEvent<ForumCategoryEventPayload>('forum.category.created', {
  description: 'A forum category was created',
});
export const forumCategoryUpdated = defineEvent<ForumCategoryEventPayload>('forum.category.updated', {
  description: 'A forum category was edited (name, place, grants)',
});

export const forumEvents = [
  forumTopicCreated,
  forumTopicRenamed,
  forumTopicMoved,
  forumTopicPinned,
  forumTopicUnpinned,
  forumTopicLocked,
  forumTopicUnlocked,
  forumTopicClosed,
  forumTopicReopened,
  forumTopicSolved,
  forumTopicUnsolved,
  forumTopicSplit,
  forumTopicMerged,
  forumTopicDeleted,
  forumTopicRestored,
  forumPostCreated,
  forumPostEdited,
  forumPostDeleted,
  forumPostRestored,
  forumCategoryCreated,
  forumCategoryUpdated,
];

/** Unpins topics whose pin expired (reads also unpin lazily, so this only tidies up). */
export const unpinExpiredTopics = defineJob<Record<string, never>>('forum.unpin-expired', {
  description: 'Unpin forum topics whose pin expired',
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
});

/**
 * Gives every topic and post written before categories had audiences the audience of its topic's
 * category (`forum:category:<id>`), so core's search, activity stream and digests keep restricted
 * categories to their readers. Queued once when the forum starts; safe to run again.
 */
export const backfillAudiences = defineJob<Record<string, never>>('forum.backfill-audiences', {
  description: 'Give older forum topics and posts the audience of their category',
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
});
