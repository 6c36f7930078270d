import { definePermission } from '@plein/sdk';

/** Who sees the activity stream (what is in it is still what `Contents.visibleTo` lets them see). */
export const activityPermissions = {
  read: definePermission('core.activity.read', { description: 'See the activity stream: published content of every plugin, newest first', defaultRoles: ['member'] }),
};
