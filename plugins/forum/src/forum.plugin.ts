import { Contents, definePlugin, Jobs, Settings } from '@plein/sdk';
import { ForumCategoriesController } from './controllers/forum-categories.controller';
import { ForumPostsController } from './controllers/forum-posts.controller';
import { ForumTopicsController } from './controllers/forum-topics.controller';
import { forumEntities } from './entities';
import { backfillAudiences, forumEvents, forumPostContent, forumTopicContent, unpinExpiredTopics } from './events';
import { ForumInit1750000000000 } from './migrations/1750000000000-forum-init';
import { ForumPromotion1770000000000 } from './migrations/1770000000000-forum-promotion';
import { forumPages, ForumPageData } from './pages';
import { forumPermissions } from './permissions';
import { ForumAccessService } from './services/forum-access.service';
import { ForumAudiencesService } from './services/forum-audiences.service';
import { ForumCategoriesService } from './services/forum-categories.service';
import { ForumSpacesService } from './services/forum-spaces.service';
import { ForumHandlersService } from './services/forum-handlers.service';
import { ForumListingService } from './services/forum-listing.service';
import { ForumModerationService } from './services/forum-moderation.service';
import { forumNotificationKinds, ForumNotifyService } from './services/forum-notify.service';
import { ForumPostsService } from './services/forum-posts.service';
import { ForumPromotionService } from './services/forum-promotion.service';
import { ForumReadingService } from './services/forum-reading.service';
import { ForumRenderService } from './services/forum-render.service';
import { ForumTopicStateService } from './services/forum-topic-state.service';
import { ForumTopicsService } from './services/forum-topics.service';
import { ForumViewService } from './services/forum-view.service';
import { ForumSettings } from './settings';

export default definePlugin({
  id: 'forum',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Forum',
  description: 'Categories, topics, solved answers, watching and unread',
  // With the wiki, a solved topic can be promoted to a wiki page; without it, that is absent.
  dependsOn: { optional: ['wiki'] },
  entities: forumEntities,
  migrations: [ForumInit1750000000000, ForumPromotion1770000000000],
  permissions: Object.values(forumPermissions),
  contentTypes: [forumTopicContent, forumPostContent],
  events: forumEvents,
  jobs: [unpinExpiredTopics, backfillAudiences],
  notificationKinds: forumNotificationKinds,
  controllers: [ForumCategoriesController, ForumTopicsController, ForumPostsController],
  pages: forumPages,
  providers: [
    ForumAccessService,
    ForumListingService,
    ForumViewService,
    ForumRenderService,
    ForumReadingService,
    ForumNotifyService,
    ForumTopicStateService,
    ForumPromotionService,
    ForumCategoriesService,
    ForumAudiencesService,
    ForumSpacesService,
    ForumTopicsService,
    ForumPostsService,
    ForumModerationService,
    ForumHandlersService,
    ForumPageData,
  ],
  views: 'views',
  assets: 'public',
  locales: 'locales',
  navigation: [
    {
      label: 'forum.nav.label',
      path: '/forum',
      spacePath: '/forum?space=:space',
      permission: forumPermissions.read.name,
    },
  ],
  settings: ForumSettings,
  lifecycle: {
    // Each topic and post carries its category's audience; core asks which categories a person reads.
    init: (ctx) => {
      const audiences = ctx.get(ForumAudiencesService);
      ctx.get(Contents).registerAudiences((viewer) => audiences.keysFor(viewer));
    },
    // Reads unpin ended pins as they meet them; the job tidies the rest every ten minutes.
    ready: async (ctx) => {
      await ctx.get(Jobs).schedule(unpinExpiredTopics, {}, { every: 600_000 });
      // Topics and posts from before audiences get theirs once (the job sets the flag when done).
      if (!(await ctx.get(Settings).get<ForumSettings>()).audiencesBackfilled)
        await ctx.get(Jobs).enqueue(backfillAudiences, {}, { jobId: backfillAudiences.name });
    },
  },
});
