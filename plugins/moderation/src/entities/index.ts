import { ModerationItem } from './moderation-item.entity';
import { ModerationLogEntry } from './moderation-log.entity';
import { ModerationNote } from './moderation-note.entity';
import { ModerationReport } from './moderation-report.entity';
import { ModerationRule } from './moderation-rule.entity';
import { ModerationSanction } from './moderation-sanction.entity';
import { ModerationPace, ModerationSpace, ModerationState } from './moderation-space.entity';

export const moderationEntities = [
  ModerationItem,
  ModerationReport,
  ModerationNote,
  ModerationRule,
  ModerationSanction,
  ModerationLogEntry,
  ModerationSpace,
  ModerationPace,
  ModerationState,
];
export {
  ModerationItem,
  ModerationReport,
  ModerationNote,
  ModerationRule,
  ModerationSanction,
  ModerationLogEntry,
  ModerationSpace,
  ModerationPace,
  ModerationState,
};
