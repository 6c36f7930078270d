import { AuditRow } from '../audit/audit.entity';
import { OutboxRow } from '../events/outbox.entity';
import { JobRow, JobScheduleRow } from '../jobs/job.entity';
import { PluginStateRow } from '../plugins/plugin-state.entity';
import { SettingRow } from '../settings/setting.entity';
import { TokenRow, UserRow } from '../users/user.entity';

export const coreEntities = [PluginStateRow, OutboxRow, JobRow, JobScheduleRow, SettingRow, AuditRow, UserRow, TokenRow];
