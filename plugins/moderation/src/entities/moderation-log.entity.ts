import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Who acted, as authors are shown when moderator names are not revealed. */
export type ActorRole = 'admin' | 'moderator' | 'space-moderator' | 'member' | 'system';

/** One moderation action: who, what, when, why. Append-only. */
@Entity('moderation_log')
@Index('idx_moderation_log_at', ['at', 'id'])
@Index('idx_moderation_log_user', ['userId', 'at', 'id'])
@Index('idx_moderation_log_actor', ['actorId', 'at', 'id'])
@Index('idx_moderation_log_action', ['action', 'at', 'id'])
@Index('idx_moderation_log_space', ['spaceId', 'at', 'id'])
@Index('idx_moderation_log_content', ['contentId', 'at'])
export class ModerationLogEntry {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'datetime', precision: 3 }) at: Date;
  /** Null for the system (a rule, an expiry, the report threshold). */
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true }) actorId: string | null;
  @Column({ name: 'actor_role', type: 'varchar', length: 16 }) actorRole: ActorRole;
  /** `<noun>.<verb>`, e.g. `item.decided`, `sanction.issued`. */
  @Column({ type: 'varchar', length: 48 }) action: string;
  @Column({ name: 'item_id', type: 'varchar', length: 36, nullable: true }) itemId: string | null;
  @Column({ name: 'content_id', type: 'varchar', length: 36, nullable: true }) contentId: string | null;
  /** The person the action concerns (a content's author, a sanctioned person). */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true }) userId: string | null;
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) reason: string | null;
  /** JSON with what else matters: the decision, the rule, the sanction's end. */
  @Column({ type: 'text', nullable: true }) details: string | null;
}
