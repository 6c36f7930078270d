import { Contents, definePlugin, Jobs } from '@plein/sdk';
import { ModerationController } from './controllers/moderation.controller';
import { moderationEntities } from './entities';
import {
  endDueSanctions,
  moderationAppealCreated,
  moderationItemDecided,
  moderationNotificationKinds,
  moderationReportCreated,
  moderationRuleChanged,
  moderationSanctionEnded,
  moderationSanctionIssued,
} from './events';
import { ModerationInit1760000000000 } from './migrations/1760000000000-moderation-init';
import { ModerationSettingsVersion1760000000001 } from './migrations/1760000000001-moderation-settings-version';
import { HistoryPageData, ModerationPageData, moderationPages } from './pages';
import { moderationPermissions } from './permissions';
import { AppealsService } from './services/appeals.service';
import { ContentEventsService } from './services/content-events.service';
import { ModerationConfig } from './services/moderation-config.service';
import { DecisionsService } from './services/decisions.service';
import { ModerationGate } from './services/moderation-gate.service';
import { ModerationLog } from './services/moderation-log.service';
import { ModerationScope } from './services/moderation-scope.service';
import { ModerationNotifier } from './services/notifier.service';
import { QueueService } from './services/queue.service';
import { ReportsService } from './services/reports.service';
import { RulesService } from './services/rules.service';
import { SanctionsService } from './services/sanctions.service';
import { SpaceSettingsService } from './services/space-settings.service';
import { ModerationSettings } from './settings';

export default definePlugin({
  id: 'moderation',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Moderation',
  description: 'One review queue across every plugin, watched words, sanctions and due process',
  entities: moderationEntities,
  migrations: [ModerationInit1760000000000, ModerationSettingsVersion1760000000001],
  permissions: Object.values(moderationPermissions),
  events: [
    moderationReportCreated,
    moderationItemDecided,
    moderationAppealCreated,
    moderationSanctionIssued,
    moderationSanctionEnded,
    moderationRuleChanged,
  ],
  jobs: [endDueSanctions],
  notificationKinds: moderationNotificationKinds,
  controllers: [ModerationController],
  pages: moderationPages,
  providers: [
    ModerationConfig,
    ModerationScope,
    ModerationLog,
    ModerationNotifier,
    SpaceSettingsService,
    SanctionsService,
    QueueService,
    RulesService,
    ReportsService,
    DecisionsService,
    AppealsService,
    ModerationGate,
    ContentEventsService,
    ModerationPageData,
    HistoryPageData,
  ],
  views: 'views',
  assets: 'public',
  locales: 'locales',
  navigation: [{ label: 'moderation.nav.label', path: '/moderation', permission: moderationPermissions.review.name }],
  settings: ModerationSettings,
  lifecycle: {
    // The gate sees every submission and edit of every plugin from the first request on.
    init: (ctx) => ctx.get(Contents).registerGate(ctx.get(ModerationGate)),
    // Silences and suspensions end by themselves: the gate checks their end on every post, and this
    // closes them (and lifts suspensions) within a minute of their end. schedule() replaces itself.
    ready: async (ctx) => {
      await ctx.get(Jobs).schedule(endDueSanctions, {}, { every: 60_000 });
    },
    shutdown: (ctx) => ctx.get(RulesService).dispose(),
  },
});
