import plugin from './microblog.plugin';

export default plugin;
export {
  microblogPostContent,
  microblogPostCreated,
  microblogPostUpdated,
  microblogPostDeleted,
  microblogQuestionAnswered,
  microblogPostPinned,
  microblogReactionAdded,
  microblogFollowCreated,
  type MicroblogPostEventPayload,
} from './events';
export { microblogPermissions } from './permissions';
export { REACTIONS } from './services/post-text';
