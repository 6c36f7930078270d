import { definePlugin } from '@plein/sdk';

export default definePlugin({
  id: 'forum',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Forum',
  description: 'Categories, topics, solved answers, watching and unread',
});
