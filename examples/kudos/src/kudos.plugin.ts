import { definePlugin, Jobs } from '@plein/sdk';
import { KudosController } from './controllers/kudos.controller';
import { Kudo, KudosTally } from './entities/kudo.entity';
import { kudoContent, kudosGiven, recountTallies } from './events';
import { KudosInit1730000000000 } from './migrations/1730000000000-kudos-init';
import { KudosContent1731000000000 } from './migrations/1731000000000-kudos-content';
import { KudosPage } from './pages/kudos.page';
import { kudosPermissions } from './permissions';
import { KudosService } from './services/kudos.service';
import { KudosSettings } from './settings';

export default definePlugin({
  id: 'kudos',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Kudos',
  description: 'Thank a colleague, and see who helped whom',
  entities: [Kudo, KudosTally],
  migrations: [KudosInit1730000000000, KudosContent1731000000000],
  contentTypes: [kudoContent],
  notificationKinds: [{ kind: 'kudos.received', label: 'Someone thanked me', defaultChannel: 'email' }],
  permissions: Object.values(kudosPermissions),
  events: [kudosGiven],
  jobs: [recountTallies],
  controllers: [KudosController],
  pages: [KudosPage],
  providers: [KudosService],
  views: 'views',
  locales: 'locales',
  navigation: [{ label: 'Kudos', path: '/kudos', permission: kudosPermissions.read.name }],
  settings: KudosSettings,
  lifecycle: {
    // Nightly repair of the tallies; schedule() replaces an existing schedule, so this is idempotent.
    ready: async (ctx) => {
      await ctx.get(Jobs).schedule(recountTallies, {}, { pattern: '0 3 * * *' });
    },
  },
});
