import { definePermission } from '@plein/sdk';

/** Permissions core itself declares. Empty `defaultRoles`: only site administrators hold them. */
export const corePermissions = {
  managePlugins: definePermission('core.plugin.manage', { description: 'Enable and disable plugins, see their state and jobs', defaultRoles: [] }),
  readAudit: definePermission('core.audit.read', { description: 'Read the audit log', defaultRoles: [] }),
  manageTheme: definePermission('core.theme.manage', { description: 'Choose the theme every page is shown in', defaultRoles: [] }),
  manageUsers: definePermission('core.user.manage', { description: 'Create users and change their roles and status', defaultRoles: [] }),
  manageRoles: definePermission('core.role.manage', { description: 'Create roles and change what each role may do', defaultRoles: [] }),
  readUsers: definePermission('core.user.read', { description: 'See colleagues and their profiles', defaultRoles: ['member'] }),
  useAccount: definePermission('core.account.use', { description: 'See and change one’s own profile, tokens and notifications', defaultRoles: ['member'] }),
  createSpace: definePermission('core.space.create', { description: 'Create spaces', defaultRoles: ['member'] }),
  joinSpace: definePermission('core.space.join', { description: 'Join open spaces and ask to join others', defaultRoles: ['member'] }),
  manageSpace: definePermission('core.space.manage', { description: 'Change a space and its members', defaultRoles: [] }),
  reviewContent: definePermission('core.content.review', { description: 'See held content in listings to review it', defaultRoles: ['moderator'] }),
};
