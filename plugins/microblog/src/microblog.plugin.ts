import { definePlugin } from '@plein/sdk';
import { MicroblogPostsController } from './controllers/microblog-posts.controller';
import { MicroblogStreamsController } from './controllers/microblog-streams.controller';
import { microblogEntities } from './entities';
import { microblogEvents, microblogPostContent } from './events';
import { MicroblogInit1750000000000 } from './migrations/1750000000000-microblog-init';
import { MicroblogPromotion1770000000000 } from './migrations/1770000000000-microblog-promotion';
import { MicroblogTimelineWindow1780000000000 } from './migrations/1780000000000-microblog-timeline-window';
import { MicroblogPageData, microblogPages } from './pages';
import { microblogPermissions } from './permissions';
import { MicroblogAccessService } from './services/microblog-access.service';
import { MicroblogFollowsService } from './services/microblog-follows.service';
import { MicroblogHandlersService } from './services/microblog-handlers.service';
import { MicroblogNotifyService, NOTIFICATION_KINDS } from './services/microblog-notify.service';
import { MicroblogPostsService } from './services/microblog-posts.service';
import { MicroblogPromotionService } from './services/microblog-promotion.service';
import { MicroblogReactionsService } from './services/microblog-reactions.service';
import { MicroblogRenderService } from './services/microblog-render.service';
import { MicroblogSettingsService } from './services/microblog-settings.service';
import { MicroblogStreamsService } from './services/microblog-streams.service';
import { MicroblogViewService } from './services/microblog-view.service';
import { MicroblogSettings } from './settings';
import { MicroblogSpacesService } from './services/microblog-spaces.service';

export default definePlugin({
  id: 'microblog',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Microblog',
  description: 'Short posts, questions with answers, follows and timelines',
  // With the wiki, an answered question can be promoted to a wiki page; without it, that is absent.
  dependsOn: { optional: ['wiki'] },
  entities: microblogEntities,
  migrations: [MicroblogInit1750000000000, MicroblogPromotion1770000000000, MicroblogTimelineWindow1780000000000],
  permissions: Object.values(microblogPermissions),
  contentTypes: [microblogPostContent],
  events: microblogEvents,
  notificationKinds: [
    { kind: NOTIFICATION_KINDS.mentioned, label: 'Someone mentioned me in a post', defaultChannel: 'in-app' },
    {
      kind: NOTIFICATION_KINDS.replied,
      label: 'Someone replied to my post or answered my question',
      defaultChannel: 'in-app',
    },
    { kind: NOTIFICATION_KINDS.accepted, label: 'My answer to a question was accepted', defaultChannel: 'in-app' },
  ],
  controllers: [MicroblogPostsController, MicroblogStreamsController],
  pages: microblogPages,
  providers: [
    MicroblogSettingsService,
    MicroblogAccessService,
    MicroblogRenderService,
    MicroblogNotifyService,
    MicroblogPostsService,
    MicroblogPromotionService,
    MicroblogReactionsService,
    MicroblogFollowsService,
    MicroblogStreamsService,
    MicroblogViewService,
    MicroblogHandlersService,
    MicroblogPageData,
    MicroblogSpacesService,
  ],
  views: 'views',
  assets: 'public',
  locales: 'locales',
  navigation: [
    {
      label: 'microblog.nav.label',
      path: '/microblog',
      spacePath: '/microblog/spaces/:space',
      permission: microblogPermissions.read.name,
    },
  ],
  settings: MicroblogSettings,
});
