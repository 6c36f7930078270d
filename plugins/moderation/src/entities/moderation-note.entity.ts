import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A moderator's internal note on a queue item (never shown to the author or reporters). */
@Entity('moderation_note')
@Index('idx_moderation_note_item', ['itemId', 'createdAt'])
export class ModerationNote {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'item_id', type: 'varchar', length: 36 }) itemId: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ type: 'varchar', length: 2000 }) text: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
