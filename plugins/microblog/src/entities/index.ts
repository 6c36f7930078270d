import { MicroblogEdit } from './microblog-edit.entity';
import { MicroblogFollow } from './microblog-follow.entity';
import { MicroblogMention } from './microblog-mention.entity';
import { MicroblogPost } from './microblog-post.entity';
import { MicroblogPromotion } from './microblog-promotion.entity';
import { MicroblogReaction } from './microblog-reaction.entity';
import { MicroblogTag } from './microblog-tag.entity';

export { MicroblogPost, type PostKind } from './microblog-post.entity';
export { MicroblogEdit } from './microblog-edit.entity';
export { MicroblogTag } from './microblog-tag.entity';
export { MicroblogReaction } from './microblog-reaction.entity';
export { MicroblogFollow, type FollowTarget } from './microblog-follow.entity';
export { MicroblogMention } from './microblog-mention.entity';
export { MicroblogPromotion, type PromotionStatus } from './microblog-promotion.entity';

export const microblogEntities = [
  MicroblogPost,
  MicroblogEdit,
  MicroblogTag,
  MicroblogReaction,
  MicroblogFollow,
  MicroblogMention,
  MicroblogPromotion,
];
