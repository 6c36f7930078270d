import { definePermission } from '@plein/sdk';

/** Permissions core itself declares. Empty `defaultRoles`: only administrators hold them. */
export const corePermissions = {
  managePlugins: definePermission('core.plugin.manage', { description: 'Enable and disable plugins, see their state', defaultRoles: [] }),
  readAudit: definePermission('core.audit.read', { description: 'Read the audit log', defaultRoles: [] }),
  manageUsers: definePermission('core.user.manage', { description: 'Create users and change their roles and status', defaultRoles: [] }),
};
