import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One thank-you from one colleague to another. */
@Entity('kudos_kudo')
@Index('idx_kudos_kudo_created', ['createdAt', 'id'])
export class Kudo {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'from_user_id', type: 'varchar', length: 36 }) fromUserId: string;
  @Column({ name: 'to_user_id', type: 'varchar', length: 36 }) toUserId: string;
  @Column({ type: 'varchar', length: 1000 }) message: string;
  /** The item's row in core_content (status, visibility). */
  @Column({ name: 'content_id', type: 'varchar', length: 36, nullable: true }) contentId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}

/** How many kudos each person received; kept by a durable event handler. */
@Entity('kudos_tally')
export class KudosTally {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ type: 'int' }) received: number;
}
