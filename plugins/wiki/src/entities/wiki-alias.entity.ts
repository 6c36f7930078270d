import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A former path or title of a page: old URLs answer 301 to the current path, and `[[Old title]]`
 * links keep resolving after a rename.
 */
@Entity('wiki_alias')
@Index('idx_wiki_alias_page', ['pageId'])
export class WikiAlias {
  @PrimaryColumn({ name: 'space_key', type: 'varchar', length: 36 }) spaceKey: string;
  @PrimaryColumn({ type: 'varchar', length: 8 }) kind: 'path' | 'title';
  @PrimaryColumn({ name: 'alias_key', type: 'varchar', length: 500 }) key: string;
  @Column({ name: 'page_id', type: 'varchar', length: 36 }) pageId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
