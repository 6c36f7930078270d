import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The space key of organisation-wide pages (also their URL segment: `/wiki/-/…`). */
export const ORG_SPACE_KEY = '-';

/**
 * One wiki page, as it reads now. The current title, body, stored HTML, table of contents and
 * revision number live on this row, so reading a page never touches the revisions table however
 * long its history is. Status, space visibility and moderation live in core's `core_content` row
 * (`contentId`).
 */
@Entity('wiki_page')
@Index('uq_wiki_page_path', ['spaceKey', 'path'], { unique: true })
@Index('idx_wiki_page_parent', ['spaceKey', 'parentId'])
@Index('idx_wiki_page_title', ['spaceKey', 'titleKey'])
@Index('idx_wiki_page_content', ['contentId'])
export class WikiPage {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  /** The space's id, or `-` for organisation-wide pages (never null, so unique indexes hold). */
  @Column({ name: 'space_key', type: 'varchar', length: 36 }) spaceKey: string;
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true }) parentId: string | null;
  @Column({ type: 'varchar', length: 100 }) slug: string;
  /** Slugs from the root to this page joined by `/`: `handbook/onboarding`. */
  @Column({ type: 'varchar', length: 500 }) path: string;
  @Column({ type: 'varchar', length: 200 }) title: string;
  /** The title folded for `[[wiki link]]` lookups (lower case, single spaces). */
  @Column({ name: 'title_key', type: 'varchar', length: 200 }) titleKey: string;
  @Column({ type: 'text' }) body: string;
  /** Sanitised HTML rendered once on save by the SDK's renderMarkdown. */
  @Column({ type: 'text' }) html: string;
  /** JSON: the headings `[{ level, text, id }]` for the table of contents. */
  @Column({ type: 'text' }) toc: string;
  @Column({ type: 'int' }) revision: number;
  /** The newest revision readers may see while a later edit waits for review. */
  @Column({ name: 'published_revision', type: 'int', nullable: true }) publishedRevision: number | null;
  /** Size of the current body in bytes (UTF-8). */
  @Column({ type: 'int' }) size: number;
  @Column({ name: 'is_template', type: 'boolean', default: false }) isTemplate: boolean;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ name: 'editor_id', type: 'varchar', length: 36 }) editorId: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }) deletedAt: Date | null;
  /** The page whose deletion took this one with it (itself for the page deleted directly). */
  @Column({ name: 'deleted_with', type: 'varchar', length: 36, nullable: true }) deletedWith: string | null;
  /** The `wiki.promotion.requested` event that created this page (idempotency of the handler). */
  @Column({ name: 'origin_event_id', type: 'varchar', length: 36, nullable: true }) originEventId: string | null;
  /** A promoted page: the plugin it came from (`forum`, `microblog`), null for pages written here. */
  @Column({ name: 'origin_plugin', type: 'varchar', length: 50, nullable: true }) originPlugin: string | null;
  /** A promoted page: the content it was made from. */
  @Column({ name: 'origin_content_id', type: 'varchar', length: 36, nullable: true }) originContentId: string | null;
  /** A promoted page: the path of the source on this intranet (`/forum/t/…`), shown as a link back. */
  @Column({ name: 'origin_url', type: 'varchar', length: 500, nullable: true }) originUrl: string | null;
  /** A promoted page: the text of the link back (the topic's title, the question's first words). */
  @Column({ name: 'origin_title', type: 'varchar', length: 200, nullable: true }) originTitle: string | null;
}
