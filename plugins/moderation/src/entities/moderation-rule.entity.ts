import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type RuleMatch = 'word' | 'regex';
export type RuleAction = 'hold' | 'reject' | 'flag' | 'censor';

/** A watched word or pattern the gate checks every submission and edit against. */
@Entity('moderation_rule')
@Index('idx_moderation_rule_list', ['createdAt', 'id'])
@Index('idx_moderation_rule_space', ['spaceId', 'createdAt'])
export class ModerationRule {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 500 }) pattern: string;
  @Column({ type: 'varchar', length: 8 }) match: RuleMatch;
  @Column({ type: 'varchar', length: 8 }) action: RuleAction;
  /** What a censored match becomes. */
  @Column({ type: 'varchar', length: 100, nullable: true }) replacement: string | null;
  /** What the author reads when the rule rejects or holds. */
  @Column({ type: 'varchar', length: 500, nullable: true }) message: string | null;
  /** Only content in this space; null everywhere. */
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  /** Held and flagged items go to the people holding this role. */
  @Column({ name: 'route_role', type: 'varchar', length: 32, nullable: true }) routeRole: string | null;
  /** A sensitive period: the rule applies from … until …, and ends by itself. */
  @Column({ name: 'active_from', type: 'datetime', precision: 3, nullable: true }) activeFrom: Date | null;
  @Column({ name: 'active_until', type: 'datetime', precision: 3, nullable: true }) activeUntil: Date | null;
  @Column({ type: 'boolean', default: true }) enabled: boolean;
  @Column({ type: 'varchar', length: 500, nullable: true }) note: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 36 }) createdBy: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
