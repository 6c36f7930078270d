import { definePermission } from '@plein/sdk';

/**
 * The moderation plugin's permissions. Those held by the built-in `moderator` role are also held
 * by space moderators (and space admins) in their own spaces: `Permissions.can` counts a user's
 * space role, so a space moderator reviews, configures and reads the log of their spaces only,
 * and someone who holds a permission globally acts everywhere.
 */
export const moderationPermissions = {
  report: definePermission('moderation.content.report', {
    description: 'Report content, appeal decisions about one’s own content and read one’s moderation history',
    defaultRoles: ['member'],
  }),
  review: definePermission('moderation.queue.review', {
    description: 'Review the queue: claim items, write notes and decide (in a space, or everywhere)',
    defaultRoles: ['moderator'],
  }),
  rules: definePermission('moderation.rule.manage', {
    description: 'Manage watched words and topics (in a space, or everywhere)',
    defaultRoles: ['moderator'],
  }),
  sanction: definePermission('moderation.user.sanction', {
    description: 'Warn, silence and suspend people, and lift those sanctions',
    defaultRoles: ['moderator'],
  }),
  log: definePermission('moderation.log.read', {
    description: 'Read and export the moderation log (of a space, or everywhere)',
    defaultRoles: ['moderator'],
  }),
  spaces: definePermission('moderation.space.configure', {
    description: 'Make a space pre-moderated and set its slow mode',
    defaultRoles: ['moderator'],
  }),
  settings: definePermission('moderation.settings.manage', {
    description: 'Change the moderation settings of the whole intranet',
    defaultRoles: [],
  }),
};
