import plugin from './moderation.plugin';

export default plugin;
export {
  moderationReportCreated,
  moderationItemDecided,
  moderationAppealCreated,
  moderationSanctionIssued,
  moderationSanctionEnded,
  moderationRuleChanged,
  type Lane,
  type DecisionAction,
  type ReportReason,
  type SanctionKind,
} from './events';
export { moderationPermissions } from './permissions';
