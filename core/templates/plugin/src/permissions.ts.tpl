import { definePermission } from '@plein/sdk';

export const __nameCamel__Permissions = {
  read: definePermission('__name__.item.read', { description: 'See __Title__ items', defaultRoles: ['member', 'anonymous'] }),
  create: definePermission('__name__.item.create', { description: 'Post a __Title__ item', defaultRoles: ['member'] }),
};
