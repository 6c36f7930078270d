import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Core's row for every piece of user content of every plugin (DESIGN.md §5). */
@Entity('core_content')
export class ContentRow {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) type: string;
  @Column({ name: 'plugin_id', type: 'varchar', length: 64 }) pluginId: string;
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ type: 'varchar', length: 16 }) status: 'published' | 'pending' | 'hidden' | 'deleted';
  @Column({ type: 'varchar', length: 255, nullable: true }) title: string | null;
  @Column({ type: 'varchar', length: 500, nullable: true }) excerpt: string | null;
  @Column({ name: 'search_text', type: 'text', nullable: true }) searchText: string | null;
  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true }) statusReason: string | null;
  /** A key of the owning plugin narrowing who may read the item within its space (`Contents.registerAudiences`). */
  @Column({ type: 'varchar', length: 200, nullable: true }) audience: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'edited_at', type: 'datetime', precision: 3, nullable: true }) editedAt: Date | null;
}
