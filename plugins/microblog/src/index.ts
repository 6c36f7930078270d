import { definePlugin } from '@plein/sdk';

export default definePlugin({
  id: 'microblog',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Microblog',
  description: 'Short posts, questions with answers, follows and timelines',
});
