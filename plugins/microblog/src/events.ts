import { defineContentType, defineEvent } from '@plein/sdk';

/** A post is content: gates, moderation, search and the activity stream handle it. */
export const microblogPostContent = defineContentType('microblog.post', {
  displayName: 'Microblog post',
  urlPattern: '/microblog/posts/{id}',
});

/** What every `microblog.post.*` event says about the post. */
export interface MicroblogPostEventPayload {
  postId: string;
  contentId: string;
  /** Null for organisation-wide posts. */
  spaceId: string | null;
  authorId: string;
  kind: 'post' | 'question';
  replyToId: string | null;
  /** `published`, or `pending` when a gate holds it for review. */
  status: 'published' | 'pending';
  /** Where a person reads it: `/microblog/posts/<id>`. */
  url: string;
  actorId: string;
}

export const microblogPostCreated = defineEvent<MicroblogPostEventPayload & { mentions: string[]; tags: string[] }>(
  'microblog.post.created',
  { description: 'A post, question or reply was written' },
);

export const microblogPostUpdated = defineEvent<MicroblogPostEventPayload & { version: number }>(
  'microblog.post.updated',
  { description: 'A post was edited (its former text is kept in the edit history)' },
);

export const microblogPostDeleted = defineEvent<MicroblogPostEventPayload>('microblog.post.deleted', {
  description: 'A post was deleted',
});

export const microblogQuestionAnswered = defineEvent<
  MicroblogPostEventPayload & { answerId: string | null; answerAuthorId: string | null }
>('microblog.question.answered', {
  description: 'A reply was accepted as the answer to a question (answerId null: acceptance withdrawn)',
});

export const microblogPostPinned = defineEvent<MicroblogPostEventPayload & { until: string | null; pinned: boolean }>(
  'microblog.post.pinned',
  { description: 'A post was pinned in its space (pinned false: unpinned)' },
);

export const microblogReactionAdded = defineEvent<{ postId: string; contentId: string; userId: string; emoji: string }>(
  'microblog.reaction.added',
  { description: 'Someone reacted to a post' },
);

export const microblogFollowCreated = defineEvent<{
  followerId: string;
  targetType: 'user' | 'space';
  targetId: string;
}>('microblog.follow.created', { description: 'Someone followed a person or a space' });

/** Every event the microblog publishes. */
export const microblogEvents = [
  microblogPostCreated,
  microblogPostUpdated,
  microblogPostDeleted,
  microblogQuestionAnswered,
  microblogPostPinned,
  microblogReactionAdded,
  microblogFollowCreated,
];
