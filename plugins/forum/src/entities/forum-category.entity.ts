import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A category: a place for topics, nested one level (a top-level category may have children), bound
 * to a space or organisation-wide. A category in a private space is seen by its members only.
 */
@Entity('forum_category')
@Index('uq_forum_category_slug', ['slug'], { unique: true })
@Index('idx_forum_category_parent', ['parentId', 'position'])
export class ForumCategory {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ type: 'varchar', length: 64 }) slug: string;
  @Column({ type: 'varchar', length: 100 }) name: string;
  /** Plain text, shown escaped. */
  @Column({ type: 'varchar', length: 1000, default: '' }) description: string;
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true }) parentId: string | null;
  /** Order among its siblings, smallest first. */
  @Column({ type: 'int', default: 0 }) position: number;
  /** JSON `{ read?: string[], create?: string[], reply?: string[] }`: who may, where the category overrides. */
  @Column({ type: 'varchar', length: 2000, default: '{}' }) grants: string;
  /** Listed topics (published or held), kept by the forum. */
  @Column({ name: 'topic_count', type: 'int', default: 0 }) topicCount: number;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
