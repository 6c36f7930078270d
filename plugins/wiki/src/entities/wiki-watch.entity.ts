import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Someone watching a page, or a page and everything under it (`subtree`). */
@Entity('wiki_watch')
@Index('idx_wiki_watch_page', ['pageId'])
export class WikiWatch {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 36 }) userId: string;
  @PrimaryColumn({ name: 'page_id', type: 'varchar', length: 36 }) pageId: string;
  @Column({ type: 'boolean', default: false }) subtree: boolean;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
