import { definePermission } from '@plein/sdk';

/**
 * The microblog's permissions. Each is checked in the post's space, so a space grant or the
 * user's role there counts: a space moderator holds the `moderator` role's grants in their space,
 * a space admin holds them all. The `-own` variants let the author edit or delete their own posts
 * where the plain permission is not held.
 */
export const microblogPermissions = {
  read: definePermission('microblog.post.read', {
    description: 'Read posts, threads, questions and streams',
    defaultRoles: ['member', 'anonymous'],
  }),
  create: definePermission('microblog.post.create', {
    description: 'Write posts, questions and replies',
    defaultRoles: ['member'],
  }),
  edit: definePermission('microblog.post.edit', {
    description: 'Edit anyone’s posts',
    defaultRoles: [],
  }),
  editOwn: definePermission('microblog.post.edit-own', {
    description: 'Edit one’s own posts',
    defaultRoles: ['member'],
  }),
  delete: definePermission('microblog.post.delete', {
    description: 'Delete anyone’s posts',
    defaultRoles: ['moderator'],
  }),
  deleteOwn: definePermission('microblog.post.delete-own', {
    description: 'Delete one’s own posts',
    defaultRoles: ['member'],
  }),
  pin: definePermission('microblog.post.pin', {
    description: 'Pin posts at the top of a space’s stream',
    defaultRoles: ['moderator'],
  }),
  moderate: definePermission('microblog.post.moderate', {
    description: 'Accept answers on anyone’s questions',
    defaultRoles: ['moderator'],
  }),
  react: definePermission('microblog.post.react', {
    description: 'React to posts with an emoji',
    defaultRoles: ['member'],
  }),
  follow: definePermission('microblog.follow.manage', {
    description: 'Follow people and spaces',
    defaultRoles: ['member'],
  }),
};
