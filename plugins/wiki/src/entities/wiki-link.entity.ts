import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A `[[wiki link]]` from one page, kept current on every save: the target as written (folded) and
 * the page it resolved to (null while the page does not exist). Backlinks read `toPageId`.
 */
@Entity('wiki_link')
@Index('idx_wiki_link_to', ['toPageId'])
@Index('idx_wiki_link_key', ['spaceKey', 'toKey'])
export class WikiLink {
  @PrimaryColumn({ name: 'from_page_id', type: 'varchar', length: 36 }) fromPageId: string;
  @PrimaryColumn({ name: 'to_key', type: 'varchar', length: 200 }) toKey: string;
  @Column({ name: 'space_key', type: 'varchar', length: 36 }) spaceKey: string;
  @Column({ name: 'to_page_id', type: 'varchar', length: 36, nullable: true }) toPageId: string | null;
}
