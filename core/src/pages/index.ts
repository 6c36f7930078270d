import type { Type } from '@nestjs/common';
import { ActivityPage } from '../activity/activity.page';
import { SearchPage } from '../search/search.page';
import { AdminAuditPage } from './admin-audit.page';
import { AdminPluginsPage } from './admin-plugins.page';
import { AdminThemesPage } from './admin-themes.page';
import { AdminRolesPage } from './admin-roles.page';
import { AdminUsersPage } from './admin-users.page';
import { HomePage } from './home.page';
import { NotificationsPage } from './notifications.page';
import { PasswordPage } from './password.page';
import { ProfilePage } from './profile.page';
import { SessionPage } from './session.page';
import { SetupPage } from './setup.page';
import { SpacesPage } from './spaces.page';

/** Core's server-rendered pages, mounted at the root beside the JSON API. */
export const corePages: Type[] = [
  HomePage,
  SetupPage,
  SessionPage,
  PasswordPage,
  ProfilePage,
  SpacesPage,
  NotificationsPage,
  AdminUsersPage,
  AdminRolesPage,
  AdminPluginsPage,
  AdminThemesPage,
  AdminAuditPage,
  ActivityPage,
  SearchPage,
];
