import type { MigrationClass } from '@plein/sdk';
import { CoreInit1730000000000 } from './1730000000000-core-init';
import { Identity1731000000000 } from './1731000000000-identity';
import { ActivitySearch1732000000000 } from './1732000000000-activity-search';
import { Digests1733500000000 } from './1733500000000-digests';
import { ContentAudience1734000000000 } from './1734000000000-content-audience';
import { SpacePlugins1735000000000 } from './1735000000000-space-plugins';
import { SearchState1736000000000 } from './1736000000000-search-state';

/** Core's migrations, in order. */
export const coreMigrations: MigrationClass[] = [CoreInit1730000000000, Identity1731000000000, ActivitySearch1732000000000, Digests1733500000000, ContentAudience1734000000000, SpacePlugins1735000000000, SearchState1736000000000];
