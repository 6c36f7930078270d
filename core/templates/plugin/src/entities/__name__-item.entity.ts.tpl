import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One item a member posted. */
@Entity('__name_snake___item')
@Index('idx___name_snake___item_created', ['createdAt', 'id'])
export class __Name__Item {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
