import { AuditRow } from '../audit/audit.entity';
import { PasswordResetRow, SessionRow, ThrottleRow } from '../auth/auth.entities';
import { ContentRow } from '../content/content.entity';
import { DigestRow } from '../digests/digest.entity';
import { OutboxRow } from '../events/outbox.entity';
import { JobRow, JobScheduleRow } from '../jobs/job.entity';
import { NotificationPrefRow, NotificationRow } from '../notifications/notification.entities';
import { GrantRow, PermissionSeedRow, RoleRow } from '../permissions/role.entities';
import { PluginStateRow } from '../plugins/plugin-state.entity';
import { SettingRow } from '../settings/setting.entity';
import { PluginSpacePolicyRow, SpacePluginRow } from '../spaces/space-plugins.entities';
import { MembershipRow, SpaceRow } from '../spaces/space.entities';
import { TokenRow, UserRow } from '../users/user.entity';

export const coreEntities = [
  PluginStateRow,
  OutboxRow,
  JobRow,
  JobScheduleRow,
  SettingRow,
  AuditRow,
  UserRow,
  TokenRow,
  SessionRow,
  ThrottleRow,
  PasswordResetRow,
  RoleRow,
  GrantRow,
  PermissionSeedRow,
  SpaceRow,
  MembershipRow,
  SpacePluginRow,
  PluginSpacePolicyRow,
  ContentRow,
  NotificationRow,
  NotificationPrefRow,
  DigestRow,
];
