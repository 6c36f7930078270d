import type { MigrationClass } from '@plein/sdk';
import { CoreInit1730000000000 } from './1730000000000-core-init';

/** Core's migrations, in order. */
export const coreMigrations: MigrationClass[] = [CoreInit1730000000000];
