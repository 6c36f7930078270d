import { definePlugin } from '@plein/sdk';

export default definePlugin({
  id: 'moderation',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Moderation',
  description: 'One review queue across every plugin, watched words, sanctions and due process',
});
