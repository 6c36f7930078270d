import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type PinScope = 'category' | 'global';

/**
 * A topic. Its title and opening post share the content record `contentId`; the counters and the
 * last activity live here so a list of topics never reads posts.
 */
@Entity('forum_topic')
@Index('idx_forum_topic_list', ['categoryId', 'pinned', 'lastActivityAt', 'id'])
@Index('idx_forum_topic_content', ['contentId'])
@Index('idx_forum_topic_global_pin', ['pinScope', 'pinned'])
export class ForumTopic {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  @Column({ name: 'category_id', type: 'varchar', length: 36 }) categoryId: string;
  /** The category's space when the topic was started (core's record keeps it). */
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ name: 'first_post_id', type: 'varchar', length: 36 }) firstPostId: string;
  /** 1 while pinned, else 0: the first key of the category's list order. */
  @Column({ type: 'int', default: 0 }) pinned: number;
  @Column({ name: 'pin_scope', type: 'varchar', length: 10, nullable: true }) pinScope: PinScope | null;
  @Column({ name: 'pinned_until', type: 'datetime', precision: 3, nullable: true }) pinnedUntil: Date | null;
  @Column({ type: 'boolean', default: false }) locked: boolean;
  @Column({ type: 'boolean', default: false }) closed: boolean;
  @Column({ name: 'close_reason', type: 'varchar', length: 500, nullable: true }) closeReason: string | null;
  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true }) closedAt: Date | null;
  @Column({ name: 'closed_by', type: 'varchar', length: 36, nullable: true }) closedBy: string | null;
  @Column({ name: 'solution_post_id', type: 'varchar', length: 36, nullable: true }) solutionPostId: string | null;
  /** Set when the topic was merged into another: its address then leads there. */
  @Column({ name: 'merged_into_id', type: 'varchar', length: 36, nullable: true }) mergedIntoId: string | null;
  /** The last position handed out (positions of posts are 1, 2, 3, … and never reused). */
  @Column({ name: 'last_position', type: 'int', default: 0 }) lastPosition: number;
  /** The position of the newest published post (what "unread" compares read positions with). */
  @Column({ name: 'last_post_position', type: 'int', default: 0 }) lastPostPosition: number;
  @Column({ name: 'last_post_id', type: 'varchar', length: 36, nullable: true }) lastPostId: string | null;
  @Column({ name: 'last_poster_id', type: 'varchar', length: 36, nullable: true }) lastPosterId: string | null;
  @Column({ name: 'last_activity_at', type: 'datetime', precision: 3 }) lastActivityAt: Date;
  /** Published replies (the opening post not counted). */
  @Column({ name: 'reply_count', type: 'int', default: 0 }) replyCount: number;
  /** Core's status of the topic's record, mirrored for counters. */
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
