import { defineContentType, defineEvent, defineJob } from '@plein/sdk';

/** A kudo is content: gates, moderation, search and the activity stream handle it. */
export const kudoContent = defineContentType('kudos.kudo', { displayName: 'Kudo', urlPattern: '/kudos#kudos.kudo-{id}' });

/** Published after a kudo is stored. */
export const kudosGiven = defineEvent<{ kudoId: string; fromUserId: string; toUserId: string }>('kudos.kudo.given', {
  description: 'Someone thanked a colleague',
});

/** Rebuilds every tally from the kudos themselves (nightly, and on demand). */
export const recountTallies = defineJob<Record<string, never>>('kudos.recount-tallies', {
  description: 'Recount how many kudos each person received',
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
});
