import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A question with 2–10 options. Its status (published, held, hidden) lives in core_content. */
@Entity('polls_poll')
@Index('idx_polls_poll_created', ['createdAt', 'id'])
export class Poll {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 200 }) question: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  /** When the scheduled job closes it; null: open until someone closes it. */
  @Column({ name: 'closes_at', type: 'datetime', precision: 3, nullable: true }) closesAt: Date | null;
  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true }) closedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}

/** One answer a voter can pick, with its running count. */
@Entity('polls_option')
export class PollOption {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'poll_id', type: 'varchar', length: 36 }) pollId: string;
  @Column({ type: 'int' }) position: number;
  @Column({ type: 'varchar', length: 100 }) label: string;
  @Column({ type: 'int', default: 0 }) votes: number;
}

/** One person's vote; the primary key allows one per person and poll. */
@Entity('polls_vote')
export class PollVote {
  @PrimaryColumn({ name: 'poll_id', type: 'varchar', length: 36 }) pollId: string;
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @Column({ name: 'option_id', type: 'varchar', length: 36 }) optionId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
