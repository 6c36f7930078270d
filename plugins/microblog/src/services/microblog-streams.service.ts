import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database } from '@plein/sdk';
import { In, type SelectQueryBuilder } from 'typeorm';
import { MicroblogPost } from '../entities/microblog-post.entity';
import { MicroblogTag } from '../entities/microblog-tag.entity';
import type { Viewer } from './microblog-access.service';
import { MicroblogFollowsService } from './microblog-follows.service';
import type { BoardKey, StreamKey } from './stream-cursor';

/**
 * Which way a stream is read: `older` pages back from a cursor (newest first, the usual), `newer`
 * asks what came after a cursor (polling for new posts; answered newest first as well).
 */
export type Direction = 'older' | 'newer';

export interface StreamRequest {
  limit: number;
  /** The last post of the previous page (`older`), or the newest post already shown (`newer`). */
  from: StreamKey | null;
  direction: Direction;
}

/** A page of a stream: posts newest first, and whether there are more beyond them. */
export interface StreamPage {
  posts: MicroblogPost[];
  more: boolean;
}

export type QuestionState = 'all' | 'unanswered' | 'answered';

/** Most pinned posts shown at the top of a space. */
export const MAX_PINS = 10;
/** Home timeline sources per statement (SQLite allows 500 terms in one compound SELECT). */
const SOURCES_PER_QUERY = 100;

/**
 * Every stream: home, everyone, a space (pinned first), a person, a tag, a thread's replies,
 * question boards. Each is keyset-paginated on `(created_at, id)` over an index that starts with
 * the stream's equality columns, and every query joins `Contents.visibleTo(viewer)`, so hidden,
 * deleted, others' held and private-space posts are in no stream, with no visibility code here.
 *
 * The home timeline is the union of one such query per source (each person followed, each space
 * followed or belonged to, oneself), each reading at most a page from its own index, merged and
 * cut to a page: its cost depends on the number of sources and the page size, not on how many
 * posts exist, at any depth.
 */
@Injectable()
export class MicroblogStreamsService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly clock: Clock,
    private readonly follows: MicroblogFollowsService,
  ) {}

  private posts(): SelectQueryBuilder<MicroblogPost> {
    return this.db.repository(MicroblogPost).createQueryBuilder('p');
  }

  /** Adds the keyset condition and order on `(createdAt, id)` columns `at`, `id`. */
  private keyset<Q extends SelectQueryBuilder<any>>(
    qb: Q,
    request: StreamRequest,
    at = 'p.created_at',
    id = 'p.id',
  ): Q {
    const newer = request.direction === 'newer';
    if (request.from)
      qb.andWhere(`(${at} ${newer ? '>' : '<'} :kAt OR (${at} = :kAt AND ${id} ${newer ? '>' : '<'} :kId))`, {
        kAt: request.from.at,
        kId: request.from.id,
      });
    const order = newer ? 'ASC' : 'DESC';
    return qb
      .orderBy(at, order)
      .addOrderBy(id, order)
      .limit(request.limit + 1);
  }

  private async run(
    qb: SelectQueryBuilder<MicroblogPost>,
    viewer: Viewer,
    request: StreamRequest,
  ): Promise<StreamPage> {
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    return this.cut(await this.keyset(qb, request).getMany(), request);
  }

  /** A page from `limit + 1` rows in query order: newest first, and whether more exist. */
  private cut(rows: MicroblogPost[], request: StreamRequest): StreamPage {
    const posts = rows.slice(0, request.limit);
    if (request.direction === 'newer') posts.reverse();
    return { posts, more: rows.length > request.limit };
  }

  /** Everyone's threads that the viewer may see (posts that start a thread, not replies). */
  all(viewer: Viewer, request: StreamRequest): Promise<StreamPage> {
    return this.run(this.posts().where('p.is_reply = 0'), viewer, request);
  }

  /** One person's posts and replies. */
  profile(viewer: Viewer, authorId: string, request: StreamRequest): Promise<StreamPage> {
    return this.run(this.posts().where('p.author_id = :author', { author: authorId }), viewer, request);
  }

  /** A space's threads, without its pinned posts (they are shown first, see `pins`). */
  space(
    viewer: Viewer,
    spaceId: string,
    request: StreamRequest,
    pinnedIds: readonly string[] = [],
  ): Promise<StreamPage> {
    const qb = this.posts().where('p.space_id = :space AND p.is_reply = 0', { space: spaceId });
    if (pinnedIds.length) qb.andWhere('p.id NOT IN (:...pinned)', { pinned: [...pinnedIds] });
    return this.run(qb, viewer, request);
  }

  /** The posts pinned in a space whose pin has not expired, most recently pinned first. */
  async pins(viewer: Viewer, spaceId: string): Promise<MicroblogPost[]> {
    const qb = this.posts()
      .where('p.space_id = :space AND p.pinned_at IS NOT NULL AND (p.pinned_until IS NULL OR p.pinned_until > :now)', {
        space: spaceId,
        now: this.clock.now(),
      })
      .orderBy('p.pinned_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(MAX_PINS);
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    return qb.getMany();
  }

  /** Posts with a hashtag (lower case), read from the tag index. */
  async tag(viewer: Viewer, tag: string, request: StreamRequest): Promise<StreamPage> {
    const qb = this.posts().innerJoin(MicroblogTag, 't', 't.post_id = p.id AND t.tag = :tag', { tag });
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    return this.cut(await this.keyset(qb, request, 't.created_at', 't.post_id').getMany(), request);
  }

  /** The direct replies to a post, oldest first (a conversation reads down); `from` is the last one shown. */
  async replies(viewer: Viewer, postId: string, limit: number, from: StreamKey | null): Promise<StreamPage> {
    const qb = this.posts().where('p.reply_to_id = :post', { post: postId });
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    const rows = await this.keyset(qb, { limit, from, direction: 'newer' }).getMany();
    return { posts: rows.slice(0, limit), more: rows.length > limit };
  }

  /** How many replies each post has that the viewer may see, in one query. */
  async replyCounts(viewer: Viewer, postIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!postIds.length) return counts;
    const qb = this.db
      .repository(MicroblogPost)
      .createQueryBuilder('r')
      .select('r.reply_to_id', 'postId')
      .addSelect('COUNT(*)', 'count')
      .where('r.reply_to_id IN (:...ids)', { ids: [...postIds] })
      .groupBy('r.reply_to_id');
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'r.content_id');
    for (const row of await qb.getRawMany<{ postId: string; count: string | number }>())
      counts.set(row.postId, Number(row.count));
    return counts;
  }

  /**
   * Questions, unanswered first, then newest first: in a space (`spaceId`), organisation-wide
   * (`null`) or everywhere the viewer may see (`undefined`). The board is read in two parts, each
   * from the question index: unanswered questions, then answered ones; the cursor says which part.
   */
  async questions(
    viewer: Viewer,
    spaceId: string | null | undefined,
    state: QuestionState,
    limit: number,
    from: BoardKey | null,
  ): Promise<{ posts: MicroblogPost[]; more: boolean }> {
    const parts: Array<0 | 1> = state === 'unanswered' ? [0] : state === 'answered' ? [1] : [0, 1];
    const visibility = await this.contents.visibleTo(viewer);
    const posts: MicroblogPost[] = [];
    let more = false;
    for (const part of parts) {
      if (from && part < from.part) continue;
      const want = limit - posts.length;
      const qb = this.posts().where(`p.kind = 'question' AND p.answered = ${part}`);
      if (spaceId === null) qb.andWhere('p.space_id IS NULL');
      else if (spaceId !== undefined) qb.andWhere('p.space_id = :space', { space: spaceId });
      visibility.applyTo(qb, 'p.content_id');
      const rows = await this.keyset(qb, {
        limit: want,
        from: from && from.part === part ? from : null,
        direction: 'older',
      }).getMany();
      // When the unanswered part fills the page exactly, the answered part is asked for one row
      // (limit 0 + 1): enough to know whether a next page exists.
      posts.push(...rows.slice(0, want));
      if (rows.length > want) {
        more = true;
        break;
      }
    }
    return { posts, more };
  }

  /** The home timeline: my posts, people I follow, spaces I follow or belong to (threads only). */
  async home(viewer: NonNullable<Viewer>, request: StreamRequest): Promise<StreamPage> {
    const { authors, spaces } = await this.follows.sources(viewer.id);
    const sources = [
      ...authors.map((value) => ({ column: 'author_id', value })),
      ...spaces.map((value) => ({ column: 'space_id', value })),
    ];
    const visibility = await this.contents.visibleTo(viewer);
    const ids = new Set<string>();
    for (let i = 0; i < sources.length; i += SOURCES_PER_QUERY) {
      const parts = sources.slice(i, i + SOURCES_PER_QUERY).map((source) => {
        const qb = this.posts()
          .select('p.id', 'id')
          .addSelect('p.created_at', 'created_at')
          .where(`p.${source.column} = :source AND p.is_reply = 0`, { source: source.value });
        visibility.applyTo(qb, 'p.content_id');
        return this.keyset(qb, request).getQueryAndParameters();
      });
      const order = request.direction === 'newer' ? 'ASC' : 'DESC';
      const sql =
        parts
          .map(([query], n) => `SELECT s${n}.id AS id, s${n}.created_at AS created_at FROM (${query}) s${n}`)
          .join(' UNION ') + ` ORDER BY created_at ${order}, id ${order} LIMIT ${request.limit + 1}`;
      const rows: Array<{ id: string }> = await this.db.manager().query(
        sql,
        parts.flatMap(([, params]) => params),
      );
      for (const row of rows) ids.add(row.id);
    }
    const loaded = ids.size ? await this.db.repository(MicroblogPost).findBy({ id: In([...ids]) }) : [];
    const sign = request.direction === 'newer' ? 1 : -1;
    loaded.sort(
      (a, b) =>
        sign * (a.createdAt.getTime() - b.createdAt.getTime()) || sign * (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return this.cut(loaded.slice(0, request.limit + 1), request);
  }

  /** Posts by id, in the order given, leaving out unknown ids. */
  async load(ids: readonly string[]): Promise<MicroblogPost[]> {
    if (!ids.length) return [];
    const rows = await this.db.repository(MicroblogPost).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((p): p is MicroblogPost => Boolean(p));
  }
}
