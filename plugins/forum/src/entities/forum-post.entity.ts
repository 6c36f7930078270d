import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A post: the opening post of a topic (position 1, sharing the topic's content record) or a reply.
 * `position` orders a topic's posts and maps page numbers to a keyset: page n shows positions
 * `(n-1)·size+1 … n·size`, read by the `(topic_id, position)` index whatever n is.
 */
@Entity('forum_post')
@Index('uq_forum_post_position', ['topicId', 'position'], { unique: true })
@Index('idx_forum_post_content', ['contentId'])
export class ForumPost {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  @Column({ name: 'topic_id', type: 'varchar', length: 36 }) topicId: string;
  @Column({ type: 'int' }) position: number;
  /** True when `contentId` is a topic's record (the opening post, also after a merge). */
  @Column({ type: 'boolean', default: false }) opening: boolean;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  @Column({ type: 'text' }) body: string;
  /** Sanitised HTML rendered once on save by the SDK's renderMarkdown. */
  @Column({ type: 'text' }) html: string;
  @Column({ type: 'int', default: 1 }) version: number;
  @Column({ name: 'quote_post_id', type: 'varchar', length: 36, nullable: true }) quotePostId: string | null;
  @Column({ name: 'quote_author_id', type: 'varchar', length: 36, nullable: true }) quoteAuthorId: string | null;
  /** The quoted text as it was when quoted: later edits of the source do not change it. */
  @Column({ name: 'quote_body', type: 'text', nullable: true }) quoteBody: string | null;
  @Column({ name: 'quote_html', type: 'text', nullable: true }) quoteHtml: string | null;
  /** Core's status of the post's record, mirrored for counters and the moderators' view. */
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'edited_at', type: 'datetime', precision: 3, nullable: true }) editedAt: Date | null;
  @Column({ name: 'editor_id', type: 'varchar', length: 36, nullable: true }) editorId: string | null;
}
