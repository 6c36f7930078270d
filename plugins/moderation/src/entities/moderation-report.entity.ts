import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReportReason } from '../events';

/** A member's report of one item (one per member and item), or a rule's flag (no reporter). */
@Entity('moderation_report')
@Index('uq_moderation_report_reporter', ['contentId', 'reporterId'], { unique: true })
@Index('idx_moderation_report_item', ['itemId', 'createdAt'])
@Index('idx_moderation_report_mine', ['reporterId', 'createdAt'])
export class ModerationReport {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'item_id', type: 'varchar', length: 36 }) itemId: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  /** Null for a flag raised by a watched-word rule. */
  @Column({ name: 'reporter_id', type: 'varchar', length: 36, nullable: true }) reporterId: string | null;
  @Column({ type: 'varchar', length: 16 }) reason: ReportReason | 'rule';
  @Column({ type: 'varchar', length: 1000, nullable: true }) note: string | null;
  @Column({ name: 'rule_id', type: 'varchar', length: 36, nullable: true }) ruleId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
