import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A former version of a post, kept when it was edited: the visible edit history. */
@Entity('microblog_edit')
export class MicroblogEdit {
  @PrimaryColumn({ name: 'post_id', type: 'varchar', length: 36 }) postId: string;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'text' }) html: string;
  /** Who wrote this version. */
  @Column({ name: 'editor_id', type: 'varchar', length: 36 }) editorId: string;
  /** When this version was written. */
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  /** When the next version replaced it. */
  @Column({ name: 'replaced_at', type: 'datetime', precision: 3 }) replacedAt: Date;
}
