import { definePermission } from '@plein/sdk';

/**
 * The wiki's permissions. Each is checked in the page's space, so a space grant or the user's role
 * in the space counts (a space admin holds them all there). `edit-own` and `delete-own` let the
 * creator of a page edit or delete it where the plain permission is not held.
 */
export const wikiPermissions = {
  read: definePermission('wiki.page.read', {
    description: 'Read wiki pages, their history and backlinks',
    defaultRoles: ['member', 'anonymous'],
  }),
  create: definePermission('wiki.page.create', { description: 'Create wiki pages', defaultRoles: ['member'] }),
  edit: definePermission('wiki.page.edit', {
    description: 'Edit, move and watch any wiki page',
    defaultRoles: ['member'],
  }),
  editOwn: definePermission('wiki.page.edit-own', {
    description: 'Edit wiki pages one created',
    defaultRoles: ['member'],
  }),
  delete: definePermission('wiki.page.delete', {
    description: 'Delete any wiki page (with the pages under it)',
    defaultRoles: ['moderator'],
  }),
  deleteOwn: definePermission('wiki.page.delete-own', {
    description: 'Delete wiki pages one created',
    defaultRoles: ['member'],
  }),
  restore: definePermission('wiki.page.restore', {
    description: 'See deleted wiki pages and restore them',
    defaultRoles: ['moderator'],
  }),
  manage: definePermission('wiki.page.manage', {
    description: 'Mark wiki pages as templates',
    defaultRoles: ['moderator'],
  }),
};
