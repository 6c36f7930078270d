import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How far a person has read a topic: every post up to `position` counts as read. */
@Entity('forum_read')
export class ForumRead {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ name: 'topic_id', type: 'varchar', length: 36 }) topicId: string;
  @Column({ type: 'int' }) position: number;
  @Column({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}

/** "Mark everything here read": topics without activity since `markedAt` are not unread. */
@Entity('forum_category_read')
export class ForumCategoryRead {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ name: 'category_id', type: 'varchar', length: 36 }) categoryId: string;
  @Column({ name: 'marked_at', type: 'datetime', precision: 3 }) markedAt: Date;
}
