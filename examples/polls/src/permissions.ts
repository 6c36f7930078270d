import { definePermission } from '@plein/sdk';

export const pollsPermissions = {
  read: definePermission('polls.poll.read', {
    description: 'See polls and their results',
    defaultRoles: ['member', 'anonymous'],
  }),
  create: definePermission('polls.poll.create', { description: 'Ask a poll', defaultRoles: ['member'] }),
  vote: definePermission('polls.poll.vote', { description: 'Vote on a poll', defaultRoles: ['member'] }),
  // Close any poll early; a poll's author may always close their own.
  manage: definePermission('polls.poll.manage', { description: 'Close any poll', defaultRoles: ['moderator'] }),
};
