import { definePlugin, Jobs } from '@plein/sdk';
import { PollsController } from './controllers/polls.controller';
import { Poll, PollOption, PollVote } from './entities/poll.entity';
import { closeDuePolls, pollContent, pollsClosed, pollsVoteCast } from './events';
import { PollsInit1730000000000 } from './migrations/1730000000000-polls-init';
import { PollsPage } from './pages/polls.page';
import { pollsPermissions } from './permissions';
import { PollsService } from './services/polls.service';

export default definePlugin({
  id: 'polls',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Polls',
  description: 'Ask colleagues a question with a few answers, and see the results',
  entities: [Poll, PollOption, PollVote],
  migrations: [PollsInit1730000000000],
  contentTypes: [pollContent],
  notificationKinds: [{ kind: 'polls.closed', label: 'A poll I voted on closed', defaultChannel: 'in-app' }],
  permissions: Object.values(pollsPermissions),
  events: [pollsVoteCast, pollsClosed],
  jobs: [closeDuePolls],
  controllers: [PollsController],
  pages: [PollsPage],
  providers: [PollsService],
  views: 'views',
  locales: 'locales',
  navigation: [{ label: 'polls.nav.label', path: '/polls', permission: pollsPermissions.read.name }],
  lifecycle: {
    // schedule() replaces the schedule with the same job and key, so every boot may call it.
    ready: async (ctx) => {
      await ctx.get(Jobs).schedule(closeDuePolls, {}, { pattern: '* * * * *' });
    },
  },
});
