import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A former version of a post, kept when it is edited (the current one lives on the post row). */
@Entity('forum_post_revision')
export class ForumPostRevision {
  @PrimaryColumn({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'text' }) body: string;
  /** The topic's title at that version, for opening posts. */
  @Column({ type: 'varchar', length: 200, nullable: true }) title: string | null;
  @Column({ name: 'editor_id', type: 'varchar', length: 36 }) editorId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
