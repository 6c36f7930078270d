import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** What a post is: a plain post, or a question that waits for an accepted answer. */
export type PostKind = 'post' | 'question';

/**
 * One post or reply. Status, visibility and moderation live in core's `core_content` row
 * (`contentId`); this row holds the text as written, its HTML (rendered once on write), and what
 * the microblog itself knows: thread, question state and pin. Every stream reads one of the
 * indexes below by keyset on `(created_at, id)`, so a page costs the same at any depth.
 */
@Entity('microblog_post')
@Index('idx_microblog_post_content', ['contentId'])
@Index('idx_microblog_post_author', ['authorId', 'createdAt', 'id'])
@Index('idx_microblog_post_author_top', ['authorId', 'isReply', 'createdAt', 'id'])
@Index('idx_microblog_post_space_top', ['spaceId', 'isReply', 'createdAt', 'id'])
@Index('idx_microblog_post_top_src', ['isReply', 'createdAt', 'id', 'authorId', 'spaceId'])
@Index('idx_microblog_post_reply', ['replyToId', 'createdAt', 'id'])
@Index('idx_microblog_post_question', ['kind', 'answered', 'createdAt', 'id'])
@Index('idx_microblog_post_space_question', ['spaceId', 'kind', 'answered', 'createdAt', 'id'])
@Index('idx_microblog_post_pinned', ['spaceId', 'pinnedAt', 'id'])
export class MicroblogPost {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id: string;
  @Column({ name: 'content_id', type: 'varchar', length: 36 }) contentId: string;
  @Column({ name: 'author_id', type: 'varchar', length: 36 }) authorId: string;
  /** Who wrote the current version (the author, or a moderator who edited it). */
  @Column({ name: 'editor_id', type: 'varchar', length: 36 }) editorId: string;
  /** Null for organisation-wide posts; a reply always lives in its parent's space. */
  @Column({ name: 'space_id', type: 'varchar', length: 36, nullable: true }) spaceId: string | null;
  @Column({ type: 'varchar', length: 8 }) kind: PostKind;
  @Column({ name: 'reply_to_id', type: 'varchar', length: 36, nullable: true }) replyToId: string | null;
  /** `replyToId IS NOT NULL`, as a column so the stream indexes can skip replies. */
  @Column({ name: 'is_reply', type: 'boolean', default: false }) isReply: boolean;
  /** The text as written (what a gate let through). */
  @Column({ type: 'text' }) body: string;
  /** Sanitised HTML from the SDK's renderMarkdown, with mentions, hashtags and links. */
  @Column({ type: 'text' }) html: string;
  /** JSON: the handles mentioned that belong to someone, lower case. */
  @Column({ type: 'text' }) mentions: string;
  /** JSON: the hashtags, lower case. */
  @Column({ type: 'text' }) tags: string;
  /** 1 for the text as first posted; each edit adds one and keeps the previous text. */
  @Column({ type: 'int', default: 1 }) version: number;
  /** Questions: whether an answer is accepted (false for plain posts). */
  @Column({ type: 'boolean', default: false }) answered: boolean;
  @Column({ name: 'accepted_answer_id', type: 'varchar', length: 36, nullable: true }) acceptedAnswerId: string | null;
  @Column({ name: 'answered_at', type: 'datetime', precision: 3, nullable: true }) answeredAt: Date | null;
  @Column({ name: 'answered_by', type: 'varchar', length: 36, nullable: true }) answeredBy: string | null;
  @Column({ name: 'pinned_at', type: 'datetime', precision: 3, nullable: true }) pinnedAt: Date | null;
  /** Null: pinned until someone unpins it. */
  @Column({ name: 'pinned_until', type: 'datetime', precision: 3, nullable: true }) pinnedUntil: Date | null;
  @Column({ name: 'pinned_by', type: 'varchar', length: 36, nullable: true }) pinnedBy: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
  @Column({ name: 'edited_at', type: 'datetime', precision: 3, nullable: true }) editedAt: Date | null;
  /** When the author of the post replied to was told about this reply (once, when it is published). */
  @Column({ name: 'notified_at', type: 'datetime', precision: 3, nullable: true }) notifiedAt: Date | null;
  @Column({ name: 'deleted_at', type: 'datetime', precision: 3, nullable: true }) deletedAt: Date | null;
}
