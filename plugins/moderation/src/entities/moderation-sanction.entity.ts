import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SanctionKind } from '../events';

/** A warning, silence or suspension of one person. */
@Entity('moderation_sanction')
@Index('idx_moderation_sanction_user', ['userId', 'endedAt'])
@Index('idx_moderation_sanction_due', ['endedAt', 'endsAt'])
@Index('idx_moderation_sanction_list', ['createdAt', 'id'])
export class ModerationSanction {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'varchar', length: 8 }) kind: SanctionKind;
  @Column({ type: 'varchar', length: 1000 }) reason: string;
  /** When a silence or suspension ends by itself; null: until lifted (always null for a warning). */
  @Column({ name: 'ends_at', type: 'datetime', precision: 3, nullable: true }) endsAt: Date | null;
  /** When it ended (a warning ends when given). */
  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true }) endedAt: Date | null;
  @Column({ name: 'ended_by', type: 'varchar', length: 36, nullable: true }) endedBy: string | null;
  @Column({ name: 'end_reason', type: 'varchar', length: 1000, nullable: true }) endReason: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 36 }) createdBy: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
