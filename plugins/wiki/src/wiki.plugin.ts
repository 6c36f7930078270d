import { definePlugin } from '@plein/sdk';
import { WikiController } from './controllers/wiki.controller';
import { wikiEntities } from './entities';
import {
  refreshWikiLinks,
  wikiPageContent,
  wikiPageCreated,
  wikiPageDeleted,
  wikiPageMoved,
  wikiPageRestored,
  wikiPageUpdated,
  wikiPromotionRefused,
} from './events';
import { WikiInit1740000000000 } from './migrations/1740000000000-wiki-init';
import { WikiOrigin1770000000000 } from './migrations/1770000000000-wiki-origin';
import { WikiPageData, wikiPages } from './pages';
import { wikiPermissions } from './permissions';
import { WikiAccessService } from './services/wiki-access.service';
import { WikiHandlersService } from './services/wiki-handlers.service';
import { WikiListingService } from './services/wiki-listing.service';
import { PAGE_MENTIONED, WikiMentionsService } from './services/wiki-mentions.service';
import { WikiPagesService } from './services/wiki-pages.service';
import { WikiPathsService } from './services/wiki-paths.service';
import { WikiRenderService } from './services/wiki-render.service';
import { WikiRevisionsService } from './services/wiki-revisions.service';
import { WikiViewService } from './services/wiki-view.service';
import { PAGE_CHANGED, WikiWatchService } from './services/wiki-watch.service';
import { WikiSettings } from './settings';
import { WikiSpacesService } from './services/wiki-spaces.service';

export default definePlugin({
  id: 'wiki',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Wiki',
  description: 'Pages the whole organisation writes together',
  entities: wikiEntities,
  migrations: [WikiInit1740000000000, WikiOrigin1770000000000],
  permissions: Object.values(wikiPermissions),
  contentTypes: [wikiPageContent],
  events: [wikiPageCreated, wikiPageUpdated, wikiPageMoved, wikiPageDeleted, wikiPageRestored, wikiPromotionRefused],
  jobs: [refreshWikiLinks],
  notificationKinds: [
    { kind: PAGE_CHANGED, label: 'A wiki page I watch changed', defaultChannel: 'in-app' },
    { kind: PAGE_MENTIONED, label: 'Someone mentioned me in a wiki page', defaultChannel: 'in-app' },
  ],
  controllers: [WikiController],
  pages: wikiPages,
  providers: [
    WikiAccessService,
    WikiRenderService,
    WikiWatchService,
    WikiMentionsService,
    WikiPagesService,
    WikiListingService,
    WikiRevisionsService,
    WikiViewService,
    WikiPathsService,
    WikiHandlersService,
    WikiPageData,
    WikiSpacesService,
  ],
  views: 'views',
  assets: 'public',
  locales: 'locales',
  navigation: [
    { label: 'wiki.nav.label', path: '/wiki', spacePath: '/wiki/:space', permission: wikiPermissions.read.name },
  ],
  settings: WikiSettings,
});
