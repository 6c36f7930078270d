import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type WatchLevel = 'watching' | 'normal' | 'muted';

/** A person's watch level on a topic (absent: `normal`). */
@Entity('forum_watch')
@Index('idx_forum_watch_topic', ['topicId', 'level'])
export class ForumWatch {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ name: 'topic_id', type: 'varchar', length: 36 }) topicId: string;
  @Column({ type: 'varchar', length: 10 }) level: WatchLevel;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
