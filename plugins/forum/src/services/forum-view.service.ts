import { Injectable } from '@nestjs/common';
import { Users, type ContentRecord, type ContentStatus, type UserRef } from '@plein/sdk';
import type { ForumCategory } from '../entities/forum-category.entity';
import type { ForumPost } from '../entities/forum-post.entity';
import type { ForumTopic, PinScope } from '../entities/forum-topic.entity';
import type { WatchLevel } from '../entities/forum-watch.entity';
import type { Viewer } from './forum-access.service';
import { ForumListingService, type ReadingState } from './forum-listing.service';

/** A quote as stored with the post that quotes: the text as it was, and a link back to its source. */
export interface QuoteView {
  postId: string;
  author: UserRef | null;
  body: string;
  html: string;
  /** `/forum/posts/<id>` */
  url: string;
}

/** A post as the JSON API answers it (the content item fields of API.md plus the forum's own). */
export interface PostView {
  id: string;
  contentId: string;
  /** `forum.topic` for an opening post (it shares the topic's record), else `forum.post`. */
  type: 'forum.post' | 'forum.topic';
  status: ContentStatus;
  /** Why it is held, hidden or deleted; shown to its author and moderators only. */
  statusReason: string | null;
  author: UserRef | null;
  spaceId: string | null;
  createdAt: string;
  updatedAt: string;
  topicId: string;
  position: number;
  body: string;
  html: string;
  version: number;
  editedAt: string | null;
  quote: QuoteView | null;
  /** This reply is the topic's solution. */
  solution: boolean;
  url: string;
}

/** A topic in a list. */
export interface TopicSummary {
  id: string;
  contentId: string;
  type: 'forum.topic';
  status: ContentStatus;
  author: UserRef | null;
  spaceId: string | null;
  createdAt: string;
  updatedAt: string;
  categoryId: string;
  title: string;
  tags: string[];
  /** Pinned now (a pin whose end passed is not). */
  pinned: boolean;
  pinScope: PinScope | null;
  pinnedUntil: string | null;
  locked: boolean;
  closed: boolean;
  solved: boolean;
  replyCount: number;
  lastActivityAt: string;
  lastPostId: string | null;
  lastPoster: UserRef | null;
  url: string;
  /** The viewer's reading state (null for anonymous visitors). */
  me: ReadingState | null;
}

export interface CategorySummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  spaceId: string | null;
  parentId: string | null;
  position: number;
  topicCount: number;
  /** Topics with something the viewer has not read (null for anonymous visitors). */
  unreadCount: number | null;
  url: string;
}

export function topicUrl(id: string): string {
  return `/forum/t/${id}`;
}

export function postUrl(id: string): string {
  return `/forum/posts/${id}`;
}

export function categoryUrl(slug: string): string {
  return `/forum/c/${slug}`;
}

/** Builds the answers of the JSON API (and the data of the pages) with batched loads: no N+1. */
@Injectable()
export class ForumViewService {
  constructor(
    private readonly users: Users,
    private readonly listing: ForumListingService,
  ) {}

  category(category: ForumCategory, unreadCount: number | null = null): CategorySummary {
    return {
      id: category.id,
      slug: category.slug,
      name: category.name,
      description: category.description,
      spaceId: category.spaceId,
      parentId: category.parentId,
      position: category.position,
      topicCount: category.topicCount,
      unreadCount,
      url: categoryUrl(category.slug),
    };
  }

  /** Whether a pin holds at `now` (an ended pin is shown unpinned until a read or the job clears it). */
  pinnedAt(topic: Pick<ForumTopic, 'pinned' | 'pinnedUntil'>, now: Date): boolean {
    return topic.pinned === 1 && (!topic.pinnedUntil || topic.pinnedUntil > now);
  }

  /** Topics of a list with their people, records, tags and the viewer's reading state. */
  async topics(
    viewer: Viewer,
    rows: readonly ForumTopic[],
    now: Date,
    options: { records?: Map<string, ContentRecord>; reading?: Map<string, ReadingState> } = {},
  ): Promise<TopicSummary[]> {
    const [records, people, tags] = await Promise.all([
      options.records ?? this.listing.records(rows.map((t) => t.contentId)),
      this.users.findByIds([...new Set(rows.flatMap((t) => [t.authorId, t.lastPosterId ?? t.authorId]))]),
      this.listing.tagsOf(rows.map((t) => t.id)),
    ]);
    return rows.map((t) => {
      const record = records.get(t.contentId);
      const pinned = this.pinnedAt(t, now);
      return {
        id: t.id,
        contentId: t.contentId,
        type: 'forum.topic',
        status: record?.status ?? (t.status as ContentStatus),
        author: people.get(t.authorId) ?? null,
        spaceId: t.spaceId,
        createdAt: t.createdAt.toISOString(),
        updatedAt: (record?.updatedAt ?? t.updatedAt).toISOString(),
        categoryId: t.categoryId,
        title: t.title,
        tags: tags.get(t.id) ?? [],
        pinned,
        pinScope: pinned ? t.pinScope : null,
        pinnedUntil: pinned && t.pinnedUntil ? t.pinnedUntil.toISOString() : null,
        locked: Boolean(t.locked),
        closed: Boolean(t.closed),
        solved: t.solutionPostId !== null,
        replyCount: t.replyCount,
        lastActivityAt: t.lastActivityAt.toISOString(),
        lastPostId: t.lastPostId,
        lastPoster: people.get(t.lastPosterId ?? t.authorId) ?? null,
        url: topicUrl(t.id),
        me: viewer ? (options.reading?.get(t.id) ?? null) : null,
      };
    });
  }

  /** Posts with their people and records; reasons only for their authors and moderators. */
  async posts(
    viewer: Viewer,
    rows: readonly ForumPost[],
    context: { spaceId: string | null; solutionPostId: string | null; moderator: boolean },
    records?: Map<string, ContentRecord>,
  ): Promise<PostView[]> {
    const [byId, people] = await Promise.all([
      records ?? this.listing.records([...new Set(rows.map((p) => p.contentId))]),
      this.users.findByIds([
        ...new Set(rows.flatMap((p) => (p.quoteAuthorId ? [p.authorId, p.quoteAuthorId] : [p.authorId]))),
      ]),
    ]);
    return rows.map((p) => {
      const record = byId.get(p.contentId);
      const mayKnowWhy = context.moderator || (viewer !== null && viewer.id === p.authorId);
      return {
        id: p.id,
        contentId: p.contentId,
        type: p.opening ? 'forum.topic' : 'forum.post',
        status: record?.status ?? (p.status as ContentStatus),
        statusReason: mayKnowWhy ? (record?.statusReason ?? null) : null,
        author: people.get(p.authorId) ?? null,
        spaceId: context.spaceId,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
        topicId: p.topicId,
        position: p.position,
        body: p.body,
        html: p.html,
        version: p.version,
        editedAt: p.editedAt ? p.editedAt.toISOString() : null,
        quote:
          p.quotePostId && p.quoteBody !== null
            ? {
                postId: p.quotePostId,
                author: p.quoteAuthorId ? (people.get(p.quoteAuthorId) ?? null) : null,
                body: p.quoteBody,
                html: p.quoteHtml ?? '',
                url: postUrl(p.quotePostId),
              }
            : null,
        solution: context.solutionPostId === p.id,
        url: postUrl(p.id),
      };
    });
  }
}

export type { WatchLevel };
