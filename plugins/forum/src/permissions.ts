import { definePermission } from '@plein/sdk';

/**
 * The forum's permissions. Each is checked in the category's space, so a space grant or the user's
 * role in the space counts (a space moderator holds what the `moderator` role holds there, a space
 * admin holds them all). A category may override who reads, starts topics and replies in it (see
 * the README, "Category grants"). `edit-own` and `delete-own` let the author of a post act on it where
 * the plain permission is not held.
 */
export const forumPermissions = {
  read: definePermission('forum.topic.read', {
    description: 'Read forum categories, topics and posts',
    defaultRoles: ['member', 'anonymous'],
  }),
  create: definePermission('forum.topic.create', { description: 'Start forum topics', defaultRoles: ['member'] }),
  reply: definePermission('forum.topic.reply', { description: 'Reply in forum topics', defaultRoles: ['member'] }),
  edit: definePermission('forum.topic.edit', {
    description: 'Edit any forum post (and the title of any topic)',
    defaultRoles: ['moderator'],
  }),
  editOwn: definePermission('forum.topic.edit-own', {
    description: 'Edit one’s own forum posts and the titles of one’s own topics',
    defaultRoles: ['member'],
  }),
  delete: definePermission('forum.topic.delete', {
    description: 'Delete any forum post or topic',
    defaultRoles: ['moderator'],
  }),
  deleteOwn: definePermission('forum.topic.delete-own', {
    description: 'Delete one’s own forum posts and topics',
    defaultRoles: ['member'],
  }),
  moderate: definePermission('forum.topic.moderate', {
    description: 'Pin, lock, close, move, rename, split and merge topics; restore deleted posts; mark solutions',
    defaultRoles: ['moderator'],
  }),
  manage: definePermission('forum.category.manage', {
    description: 'Create and edit forum categories and their grants',
    defaultRoles: [],
  }),
};
