import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a follow points at: a person or a space. */
export type FollowTarget = 'user' | 'space';

/** Someone following a person or a space: their posts come to the follower's home timeline. */
@Entity('microblog_follow')
@Index('idx_microblog_follow_target', ['targetType', 'targetId', 'followerId'])
export class MicroblogFollow {
  @PrimaryColumn({ name: 'follower_id', type: 'varchar', length: 36 }) followerId: string;
  @PrimaryColumn({ name: 'target_type', type: 'varchar', length: 8 }) targetType: FollowTarget;
  @PrimaryColumn({ name: 'target_id', type: 'varchar', length: 36 }) targetId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
