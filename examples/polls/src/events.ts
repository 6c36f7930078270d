import { defineContentType, defineEvent, defineJob } from '@plein/sdk';

/** A poll is content: gates, moderation, search and the activity stream handle it. */
export const pollContent = defineContentType('polls.poll', { displayName: 'Poll', urlPattern: '/polls/{id}' });

/** Published after a vote is stored, in the voting transaction. */
export const pollsVoteCast = defineEvent<{ pollId: string; optionId: string; userId: string }>('polls.poll.voted', {
  description: 'Someone voted on a poll',
});

/** Published when a poll closes: by its author, by a moderator, or at its end time. */
export const pollsClosed = defineEvent<{ pollId: string; closedBy: string | null }>('polls.poll.closed', {
  description: 'A poll closed',
});

/** Closes every poll whose end time has passed; scheduled every minute. */
export const closeDuePolls = defineJob<Record<string, never>>('polls.close-due', {
  description: 'Close the polls whose end time has passed',
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
});
