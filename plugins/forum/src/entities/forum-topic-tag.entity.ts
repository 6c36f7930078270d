import { Entity, Index, PrimaryColumn } from 'typeorm';

/** A tag on a topic (lower case). */
@Entity('forum_topic_tag')
@Index('idx_forum_topic_tag_tag', ['tag', 'topicId'])
export class ForumTopicTag {
  @PrimaryColumn({ name: 'topic_id', type: 'varchar', length: 36 }) topicId: string;
  @PrimaryColumn({ type: 'varchar', length: 32 }) tag: string;
}
