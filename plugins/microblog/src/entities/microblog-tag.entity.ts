import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A hashtag on a post (lower case); the tag stream reads `(tag, created_at, post_id)`. */
@Entity('microblog_tag')
@Index('idx_microblog_tag_stream', ['tag', 'createdAt', 'postId'])
export class MicroblogTag {
  @PrimaryColumn({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @PrimaryColumn({ type: 'varchar', length: 64 }) tag: string;
  /** The post's creation time, copied so the tag stream needs no join to sort. */
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
