import { definePermission } from '@plein/sdk';

/** Who may search (what a search finds is still what `Contents.visibleTo` lets them see). */
export const searchPermissions = {
  use: definePermission('core.search.use', { description: 'Search the content of every plugin', defaultRoles: ['member'] }),
};
