import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One person's reaction with one emoji of the fixed set: at most one of each per person and post. */
@Entity('microblog_reaction')
@Index('idx_microblog_reaction_count', ['postId', 'emoji'])
export class MicroblogReaction {
  @PrimaryColumn({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ type: 'varchar', length: 16 }) emoji: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
