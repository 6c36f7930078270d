import { defineEvent, defineJob, type NotificationKind } from '@plein/sdk';

/** The lanes of the review queue. */
export type Lane = 'reports' | 'held' | 'appeals';
/** What a moderator decides about a queue item. */
export type DecisionAction = 'approve' | 'hide' | 'delete' | 'dismiss';
/** Why a member reports content. */
export type ReportReason = 'spam' | 'abuse' | 'off-topic' | 'confidential' | 'other';
/** Sanctions on a person. */
export type SanctionKind = 'warn' | 'silence' | 'suspend';

export const LANES: readonly Lane[] = ['reports', 'held', 'appeals'];
export const DECISION_ACTIONS: readonly DecisionAction[] = ['approve', 'hide', 'delete', 'dismiss'];
export const REPORT_REASONS: readonly ReportReason[] = ['spam', 'abuse', 'off-topic', 'confidential', 'other'];
export const SANCTION_KINDS: readonly SanctionKind[] = ['warn', 'silence', 'suspend'];

/** A member reported content (`reporterId` is not shown to the content's author anywhere). */
export const moderationReportCreated = defineEvent<{
  reportId: string;
  itemId: string;
  contentId: string;
  reporterId: string;
  reason: ReportReason;
}>('moderation.report.created', { description: 'A member reported content' });

/** A moderator decided a queue item. */
export const moderationItemDecided = defineEvent<{
  itemId: string;
  lane: Lane;
  action: DecisionAction;
  contentId: string | null;
  sanctionId: string | null;
  authorId: string;
  moderatorId: string;
}>('moderation.item.decided', { description: 'A moderator decided an item of the review queue' });

/** Someone appealed a decision; the appeal waits in the `appeals` lane. */
export const moderationAppealCreated = defineEvent<{
  itemId: string;
  contentId: string | null;
  sanctionId: string | null;
  userId: string;
}>('moderation.appeal.created', { description: 'Someone appealed a moderation decision' });

/** A person was warned, silenced or suspended. */
export const moderationSanctionIssued = defineEvent<{
  sanctionId: string;
  userId: string;
  kind: SanctionKind;
  until: string | null;
  moderatorId: string;
}>('moderation.sanction.issued', { description: 'A person was warned, silenced or suspended' });

/** A silence or suspension ended: by itself at its end date, or lifted by a moderator. */
export const moderationSanctionEnded = defineEvent<{
  sanctionId: string;
  userId: string;
  kind: SanctionKind;
  liftedBy: string | null;
}>('moderation.sanction.ended', { description: 'A silence or suspension ended' });

/** A watched word or topic was added, changed or removed. */
export const moderationRuleChanged = defineEvent<{ ruleId: string; change: 'created' | 'updated' | 'deleted' }>(
  'moderation.rule.changed',
  { description: 'A watched word or topic changed' },
);

/** Ends the silences and suspensions whose end date has passed (scheduled every minute). */
export const endDueSanctions = defineJob<Record<string, never>>('moderation.end-sanctions', {
  description: 'End silences and suspensions whose end date has passed',
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
});

/** Notification kinds; the labels are catalogue keys (`<kind>.label`). */
export const NOTIFY = {
  held: 'moderation.content.held',
  decided: 'moderation.content.decided',
  reportResolved: 'moderation.report.resolved',
  sanction: 'moderation.sanction.changed',
  appeal: 'moderation.appeal.decided',
} as const;

export const moderationNotificationKinds: NotificationKind[] = [
  { kind: NOTIFY.held, label: 'My content is waiting for review', defaultChannel: 'in-app' },
  { kind: NOTIFY.decided, label: 'What moderators decided about my content', defaultChannel: 'email' },
  { kind: NOTIFY.reportResolved, label: 'The outcome of my reports', defaultChannel: 'in-app' },
  { kind: NOTIFY.sanction, label: 'Warnings and restrictions on my account', defaultChannel: 'email' },
  { kind: NOTIFY.appeal, label: 'The outcome of my appeals', defaultChannel: 'email' },
];
