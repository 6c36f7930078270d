import { ForumCategory } from './forum-category.entity';
import { ForumPostRevision } from './forum-post-revision.entity';
import { ForumPost } from './forum-post.entity';
import { ForumPromotion } from './forum-promotion.entity';
import { ForumCategoryRead, ForumRead } from './forum-read.entity';
import { ForumTopicTag } from './forum-topic-tag.entity';
import { ForumTopic } from './forum-topic.entity';
import { ForumWatch } from './forum-watch.entity';

export { ForumCategory } from './forum-category.entity';
export { ForumTopic, type PinScope } from './forum-topic.entity';
export { ForumTopicTag } from './forum-topic-tag.entity';
export { ForumPost } from './forum-post.entity';
export { ForumPostRevision } from './forum-post-revision.entity';
export { ForumWatch, type WatchLevel } from './forum-watch.entity';
export { ForumRead, ForumCategoryRead } from './forum-read.entity';
export { ForumPromotion, type PromotionStatus } from './forum-promotion.entity';

export const forumEntities = [
  ForumCategory,
  ForumTopic,
  ForumTopicTag,
  ForumPost,
  ForumPostRevision,
  ForumWatch,
  ForumRead,
  ForumCategoryRead,
  ForumPromotion,
];
