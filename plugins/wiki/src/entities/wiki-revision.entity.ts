import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every save of a page: who, when, why, how big, and the text and HTML as they were. */
@Entity('wiki_revision')
export class WikiRevision {
  @PrimaryColumn({ name: 'page_id', type: 'varchar', length: 36 }) pageId: string;
  @PrimaryColumn({ type: 'int' }) number: number;
  @Column({ type: 'varchar', length: 200 }) title: string;
  @Column({ type: 'text' }) body: string;
  @Column({ type: 'text' }) html: string;
  /** JSON headings, as on the page row. */
  @Column({ type: 'text' }) toc: string;
  @Column({ type: 'varchar', length: 300 }) summary: string;
  @Column({ type: 'int' }) size: number;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  /** The revision this one was restored from, when it is a restore. */
  @Column({ name: 'restored_from', type: 'int', nullable: true }) restoredFrom: number | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
