import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Someone mentioned in a post, and whether they were told. A held post notifies nobody until it
 * is published; an edit notifies only people mentioned for the first time.
 */
@Entity('microblog_mention')
export class MicroblogMention {
  @PrimaryColumn({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'notified_at', type: 'datetime', precision: 3, nullable: true }) notifiedAt: Date | null;
}
