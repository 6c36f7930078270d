import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { DecisionAction, Lane } from '../events';

/** `open`: waits for a decision. `decided`: a moderator decided. `closed`: ended without a decision (the content was deleted, or decided in another item). */
export type ItemStatus = 'open' | 'decided' | 'closed';

/**
 * One entry of the review queue: content in a lane (reported, held, appealed) or an appeal of a
 * sanction. At most one open entry per content and lane (`open_key` is unique while open).
 */
@Entity('moderation_item')
@Index('idx_moderation_item_queue', ['status', 'lane', 'createdAt', 'id'])
@Index('idx_moderation_item_space', ['status', 'spaceId', 'lane', 'createdAt', 'id'])
@Index('idx_moderation_item_content', ['contentId', 'lane'])
@Index('idx_moderation_item_author', ['authorId', 'decidedAt'])
@Index('uq_moderation_item_open', ['openKey'], { unique: true })
@Index('uq_moderation_item_appeal', ['appealKey'], { unique: true })
export class ModerationItem {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 16 }) lane: Lane;
  @Column({ type: 'varchar', length: 16 }) status: ItemStatus;
  /** `<lane>:<contentId or sanction:id>` while open, null afterwards. */
  @Column({ name: 'open_key', type: 'varchar', length: 80, nullable: true }) openKey: string | null;
  @Column({ name: 'content_id', type: 'varchar', length: 36, nullable: true }) contentId: string | null;
  @Column({ name: 'content_type', type: 'varchar', length: 64, nullable: true }) contentType: string | null;
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  /** The person the item is about: the content's author, or the sanctioned person. */
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  /** Why it is here: the hold's or flag's reason (reports carry their own). */
  @Column({ type: 'varchar', length: 500, nullable: true }) reason: string | null;
  /** Reports by members (rule flags not counted). */
  @Column({ name: 'report_count', type: 'int', default: 0 }) reportCount: number;
  /** Whether reaching the report threshold hid the content until review. */
  @Column({ name: 'auto_hidden', type: 'boolean', default: false }) autoHidden: boolean;
  /** Only people holding this role (and site admins) see and decide the item. */
  @Column({ name: 'route_role', type: 'varchar', length: 32, nullable: true }) routeRole: string | null;
  @Column({ name: 'rule_id', type: 'varchar', length: 36, nullable: true }) ruleId: string | null;
  @Column({ name: 'claimed_by', type: 'varchar', length: 36, nullable: true }) claimedBy: string | null;
  @Column({ name: 'claimed_at', type: 'datetime', precision: 3, nullable: true }) claimedAt: Date | null;
  /** Appeals: the moderator whose decision is appealed, who may not decide the appeal. */
  @Column({ name: 'excluded_moderator_id', type: 'varchar', length: 36, nullable: true })
  excludedModeratorId: string | null;
  /** Appeals: `item:<id>` or `sanction:<id>`, unique, so each decision is appealed once. */
  @Column({ name: 'appeal_key', type: 'varchar', length: 48, nullable: true }) appealKey: string | null;
  @Column({ name: 'appeal_of_item_id', type: 'varchar', length: 36, nullable: true }) appealOfItemId: string | null;
  @Column({ name: 'sanction_id', type: 'varchar', length: 36, nullable: true }) sanctionId: string | null;
  @Column({ name: 'appeal_text', type: 'varchar', length: 2000, nullable: true }) appealText: string | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) decision: DecisionAction | null;
  @Column({ name: 'decision_reason', type: 'varchar', length: 1000, nullable: true }) decisionReason: string | null;
  @Column({ name: 'decided_by', type: 'varchar', length: 36, nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
