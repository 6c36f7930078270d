import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Where a topic's promotion to the wiki stands. */
export type PromotionStatus = 'requested' | 'promoted' | 'refused';

/**
 * A solved topic promoted to the wiki ("promote to wiki"): one row per topic, so a topic becomes one
 * wiki page however often the action is asked for. `requested` from the moment the forum asked the
 * wiki (`wiki.promotion.requested`), `promoted` once the wiki made the page (`wiki.page.created`
 * with this topic as its origin), `refused` when the wiki said no (`wiki.promotion.refused`; the
 * action may then be asked for again).
 */
@Entity('forum_promotion')
@Index('idx_forum_promotion_content', ['contentId'])
export class ForumPromotion {
  @PrimaryColumn({ name: 'topic_id', type: 'varchar', length: 36 }) topicId: string;
  /** The topic's content record: the `origin.contentId` the wiki's events name. */
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  @Column({ type: 'varchar', length: 10 }) status: PromotionStatus;
  @Column({ name: 'requested_by', type: 'varchar', length: 36 }) requestedBy: string;
  @Column({ name: 'requested_at', type: 'datetime', precision: 3 }) requestedAt: Date;
  /** The title asked for (the topic's title then). */
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ name: 'page_id', type: 'varchar', length: 36, nullable: true }) pageId: string | null;
  /** The page's address when it was made (a later move leaves a redirect behind). */
  @Column({ name: 'page_url', type: 'varchar', length: 600, nullable: true }) pageUrl: string | null;
  @Column({ name: 'page_title', type: 'varchar', length: 200, nullable: true }) pageTitle: string | null;
  @Column({ name: 'promoted_at', type: 'datetime', precision: 3, nullable: true }) promotedAt: Date | null;
  /** Why the wiki refused, as it said it. */
  @Column({ name: 'refused_reason', type: 'varchar', length: 500, nullable: true }) refusedReason: string | null;
}
