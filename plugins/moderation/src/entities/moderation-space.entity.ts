import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per space: pre-moderation and slow mode. */
@Entity('moderation_space')
export class ModerationSpace {
  @PrimaryColumn({ name: 'space_id', type: 'varchar', length: 36 }) spaceId: string;
  /** Every new post in the space is held for review. */
  @Column({ type: 'boolean', default: false }) premoderated: boolean;
  /** One post per this many seconds per person (0: off). */
  @Column({ name: 'slow_mode_seconds', type: 'int', default: 0 }) slowModeSeconds: number;
  @Column({ name: 'updated_by', type: 'varchar', length: 36 }) updatedBy: string;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}

/** When a person last posted in a slow-mode space. */
@Entity('moderation_pace')
export class ModerationPace {
  @PrimaryColumn({ name: 'space_id', type: 'varchar', length: 36 }) spaceId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'last_at', type: 'datetime', precision: 3 }) lastAt: Date;
}

/** Version counters (`rules`): a change bumps it, every instance recompiles its cache on the next check. */
@Entity('moderation_state')
export class ModerationState {
  @PrimaryColumn({ type: 'varchar', length: 32 }) name: string;
  @Column({ type: 'int' }) version: number;
}
