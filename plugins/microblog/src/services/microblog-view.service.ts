import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database, Spaces, Users, type ContentStatus, type SpaceRef, type UserRef } from '@plein/sdk';
import { MicroblogEdit } from '../entities/microblog-edit.entity';
import type { MicroblogPost, PostKind } from '../entities/microblog-post.entity';
import type { Viewer } from './microblog-access.service';
import { postUrl } from './microblog-notify.service';
import { MicroblogReactionsService, type ReactionSummary } from './microblog-reactions.service';
import { MicroblogStreamsService } from './microblog-streams.service';

/** A post as the JSON API answers it: the content item fields of API.md plus the microblog's own. */
export interface PostView {
  id: string;
  contentId: string;
  type: 'microblog.post';
  status: ContentStatus;
  /** Why the post is held or hidden (its author and moderators see it), else null. */
  statusReason: string | null;
  author: UserRef | null;
  spaceId: string | null;
  space: { id: string; slug: string; name: string } | null;
  kind: PostKind;
  /** The text as written (Markdown). */
  body: string;
  /** Sanitised HTML of the text. */
  html: string;
  replyToId: string | null;
  /** Handles of the people mentioned. */
  mentions: string[];
  /** Hashtags, lower case. */
  tags: string[];
  reactions: ReactionSummary[];
  /** Replies the viewer may see. */
  replyCount: number;
  /** 1 until the first edit. */
  version: number;
  editedAt: string | null;
  /** Questions: whether an answer is accepted; null for plain posts. */
  answered: boolean | null;
  acceptedAnswerId: string | null;
  /** Set while the post is pinned in its space. */
  pinned: { at: string; until: string | null } | null;
  url: string;
  createdAt: string;
  updatedAt: string;
}

/** A former version of a post. */
export interface EditView {
  version: number;
  body: string;
  html: string;
  editor: UserRef | null;
  /** When this version was written, and when the next one replaced it. */
  createdAt: string;
  replacedAt: string;
}

/** Builds the answers about posts: a page of them in a fixed number of queries, whatever its size. */
@Injectable()
export class MicroblogViewService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly users: Users,
    private readonly spaces: Spaces,
    private readonly clock: Clock,
    private readonly reactions: MicroblogReactionsService,
    private readonly streams: MicroblogStreamsService,
  ) {}

  /**
   * Posts as the viewer reads them: core's records, authors, spaces, reactions and reply counts,
   * each loaded once for the whole list.
   */
  async describe(viewer: Viewer, posts: readonly MicroblogPost[]): Promise<PostView[]> {
    if (!posts.length) return [];
    const ids = posts.map((p) => p.id);
    const [records, people, reactions, replies, spaces] = await Promise.all([
      this.contents.getMany(posts.map((p) => p.contentId)),
      this.users.findByIds([...new Set(posts.map((p) => p.authorId))]),
      this.reactions.summaries(ids, viewer?.id ?? null),
      this.streams.replyCounts(viewer, ids),
      this.spacesOf(posts.map((p) => p.spaceId)),
    ]);
    const now = this.clock.now().getTime();
    return posts.map((p) => {
      const record = records.get(p.contentId);
      const space = p.spaceId ? spaces.get(p.spaceId) : undefined;
      const pinned = p.pinnedAt && (!p.pinnedUntil || p.pinnedUntil.getTime() > now);
      return {
        id: p.id,
        contentId: p.contentId,
        type: 'microblog.post' as const,
        status: record?.status ?? 'published',
        statusReason: record?.statusReason ?? null,
        author: people.get(p.authorId) ?? null,
        spaceId: p.spaceId,
        space: space ? { id: space.id, slug: space.slug, name: space.name } : null,
        kind: p.kind,
        body: p.body,
        html: p.html,
        replyToId: p.replyToId,
        mentions: JSON.parse(p.mentions) as string[],
        tags: JSON.parse(p.tags) as string[],
        reactions: reactions.get(p.id) ?? [],
        replyCount: replies.get(p.id) ?? 0,
        version: p.version,
        editedAt: p.editedAt?.toISOString() ?? null,
        answered: p.kind === 'question' ? Boolean(p.answered) : null,
        acceptedAnswerId: p.acceptedAnswerId,
        pinned: pinned ? { at: p.pinnedAt!.toISOString(), until: p.pinnedUntil?.toISOString() ?? null } : null,
        url: postUrl(p.id),
        createdAt: p.createdAt.toISOString(),
        updatedAt: (record?.updatedAt ?? p.updatedAt).toISOString(),
      };
    });
  }

  async one(viewer: Viewer, post: MicroblogPost): Promise<PostView> {
    return (await this.describe(viewer, [post]))[0];
  }

  private async spacesOf(ids: Array<string | null>): Promise<Map<string, SpaceRef>> {
    const found = new Map<string, SpaceRef>();
    const unique = [...new Set(ids)].filter((id): id is string => Boolean(id));
    const spaces = await Promise.all(unique.map((id) => this.spaces.find(id)));
    spaces.forEach((space, i) => space && found.set(unique[i], space));
    return found;
  }

  /** Former versions of a post, newest first; `before` is the version of the last one shown. */
  async edits(postId: string, limit: number, before: number | null): Promise<{ items: EditView[]; more: boolean }> {
    const qb = this.db
      .repository(MicroblogEdit)
      .createQueryBuilder('e')
      .where('e.post_id = :postId', { postId })
      .orderBy('e.version', 'DESC')
      .limit(limit + 1);
    if (before !== null) qb.andWhere('e.version < :before', { before });
    const rows = await qb.getMany();
    const people = await this.users.findByIds([...new Set(rows.map((r) => r.editorId))]);
    return {
      items: rows.slice(0, limit).map((r) => ({
        version: r.version,
        body: r.body,
        html: r.html,
        editor: people.get(r.editorId) ?? null,
        createdAt: r.createdAt.toISOString(),
        replacedAt: r.replacedAt.toISOString(),
      })),
      more: rows.length > limit,
    };
  }
}
