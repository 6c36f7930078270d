import { definePermission } from '@plein/sdk';

export const kudosPermissions = {
  read: definePermission('kudos.kudo.read', { description: 'See the kudos colleagues gave', defaultRoles: ['member', 'anonymous'] }),
  give: definePermission('kudos.kudo.give', { description: 'Thank a colleague', defaultRoles: ['member'] }),
  manage: definePermission('kudos.tally.manage', { description: 'Recount the kudos tallies', defaultRoles: ['moderator'] }),
};
