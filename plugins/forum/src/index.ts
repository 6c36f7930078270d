import plugin from './forum.plugin';

export default plugin;
export {
  forumTopicContent,
  forumPostContent,
  forumEvents,
  forumTopicCreated,
  forumTopicRenamed,
  forumTopicMoved,
  forumTopicPinned,
  forumTopicUnpinned,
  forumTopicLocked,
  forumTopicUnlocked,
  forumTopicClosed,
  forumTopicReopened,
  forumTopicSolved,
  forumTopicUnsolved,
  forumTopicSplit,
  forumTopicMerged,
  forumTopicDeleted,
  forumTopicRestored,
  forumPostCreated,
  forumPostEdited,
  forumPostDeleted,
  forumPostRestored,
  forumCategoryCreated,
  forumCategoryUpdated,
  type ForumTopicEventPayload,
  type ForumPostEventPayload,
  type ForumCategoryEventPayload,
} from './events';
export { forumPermissions } from './permissions';
