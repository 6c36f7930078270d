import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database, type ContentVisibility } from '@plein/sdk';
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
  /** Where the next page starts, when not at the last post (a short page of the home timeline). */
  next?: { createdAt: Date; id: string };
}

/** A post's place in a stream as a raw query answers it: time in ms, then id. */
interface Key {
  at: number;
  id: string;
}

const compareKeys = (a: Key, b: Key) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** Stream order: newest first when reading back, oldest first when asking what is new. */
const streamOrder = (newer: boolean) => (a: Key, b: Key) => (newer ? compareKeys(a, b) : compareKeys(b, a));
/** A request for `size` keys after `from`, as the home timeline's window and merge rounds read them. */
const keysAfter = (from: Key | null, newer: boolean, size: number): StreamRequest => ({
  limit: size - 1,
  from: from ? { at: new Date(from.at), id: from.id } : null,
  direction: newer ? 'newer' : 'older',
});

/**
 * A datetime as a raw query answers it: a Date (mysql2), or the UTC text TypeORM stores on SQLite
 * (`YYYY-MM-DD HH:MM:SS.SSS`).
 */
function timeOf(value: unknown): number {
  return value instanceof Date ? value.getTime() : Date.parse(`${String(value).replace(' ', 'T')}Z`);
}

export type QuestionState = 'all' | 'unanswered' | 'answered';

/** Most pinned posts shown at the top of a space. */
export const MAX_PINS = 10;
/** Home timeline sources per statement (SQLite allows 500 terms in one compound SELECT). */
const SOURCES_PER_QUERY = 100;
/**
 * How many of everyone's newest threads the home timeline looks through first, per post it
 * answers (see `home`).
 */
const WINDOW_PER_POST = 50;
/** Rounds of the home timeline's merge before a short page is answered (see `home`). */
const MAX_ROUNDS = 5;
/** Most keys one round reads per source. */
const MAX_ROUND_SIZE = 500;

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
    // The first term repeats what the second says: it is the range an index on the time starts
    // from (SQLite cannot start one from the OR alone and would read from the newest post on).
    if (request.from)
      qb.andWhere(
        `${at} ${newer ? '>=' : '<='} :kAt AND (${at} ${newer ? '>' : '<'} :kAt OR (${at} = :kAt AND ${id} ${newer ? '>' : '<'} :kId))`,
        { kAt: request.from.at, kId: request.from.id },
      );
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

  /**
   * The home timeline: my posts, people I follow, spaces I follow or belong to (threads only).
   *
   * First a window: the newest `WINDOW_PER_POST` threads per post wanted after the cursor, of
   * everyone, read in order from one covering index, and of those the ones from the reader's
   * sources. Someone who follows a fair share of the people who write (the usual reader) finds a
   * page there, at a cost that depends on the window, not on how many posts exist or how many
   * people they follow. Those who follow few or quiet sources go on from the window's end with
   * a k-way merge of the sources, in rounds. Each round reads, for every source, the keys of at
   * most a page of its threads after the cursor from its own index, index only (one UNION ALL
   * per 100 sources); a source that filled its page may have more beyond its last key, so only the
   * keys up to the nearest such last key (the horizon) are certain to be in order. Candidates are
   * checked against `visibleTo` a page at a time, in stream order; when hidden or held posts left
   * the page short, the next round starts at the horizon. After MAX_ROUNDS a short page is
   * answered with a cursor at the horizon, so nothing is skipped.
   */
  async home(viewer: NonNullable<Viewer>, request: StreamRequest): Promise<StreamPage> {
    const { authors, spaces } = await this.follows.sources(viewer.id);
    const sources = [
      ...authors.map((value) => ({ column: 'author_id', value })),
      ...spaces.map((value) => ({ column: 'space_id', value })),
    ];
    const want = request.limit + 1;
    const newer = request.direction === 'newer';
    const visibility = await this.contents.visibleTo(viewer);
    const found: MicroblogPost[] = [];
    // Candidates are checked in stream order, first a quarter more than a page (a few hidden or
    // held posts among them do not cost a second query), then twice as many each time, so a long
    // run of hidden posts costs few queries.
    const collect = async (candidates: Key[], first: number) => {
      let batch = first;
      for (
        let i = 0;
        i < candidates.length && found.length < want;
        i += batch, batch = Math.min(batch * 2, MAX_ROUND_SIZE)
      )
        found.push(...(await this.visibleAmong(visibility, candidates.slice(i, i + batch))));
    };
    let from: Key | null = request.from ? { at: request.from.at.getTime(), id: request.from.id } : null;
    const size = want * WINDOW_PER_POST;
    await collect(await this.window(authors, spaces, from, newer, size), Math.ceil(want * 1.25));
    if (found.length >= want) return this.cut(found, request);
    const end = await this.windowEnd(from, newer, size);
    if (!end) return this.cut(found, request);
    from = end;
    let next: Key | null = null;
    for (let round = 1; found.length < want; round++) {
      // Each round reads twice as far as the one before: a long run of hidden posts costs few rounds.
      const size = Math.min(want * 2 ** (round - 1), MAX_ROUND_SIZE);
      const { candidates, horizon } = await this.candidates(sources, from, newer, size);
      await collect(candidates, Math.ceil(size * 1.25));
      if (found.length >= want || !horizon) break;
      from = horizon;
      if (round === MAX_ROUNDS) {
        next = horizon;
        break;
      }
    }
    const page = this.cut(found.slice(0, want), request);
    if (next && found.length < want)
      return { ...page, more: true, next: { createdAt: new Date(next.at), id: next.id } };
    return page;
  }

  /**
   * The home timeline's window: of the `size` threads after `from` in stream order (everyone's),
   * the keys of those by `authors` or in `spaces`, in stream order. It is read from
   * `idx_microblog_post_top_src`, which holds each thread's author and space, so only the index is
   * read.
   */
  private async window(
    authors: string[],
    spaces: string[],
    from: Key | null,
    newer: boolean,
    size: number,
  ): Promise<Key[]> {
    const qb = this.threadKeys(from, newer, size)
      .addSelect('p.author_id', 'author_id')
      .addSelect('p.space_id', 'space_id');
    const [inner, params] = qb.getQueryAndParameters();
    const marks = (n: number) => new Array(n).fill('?').join(', ');
    const mine = [`w.author_id IN (${marks(authors.length)})`];
    if (spaces.length) mine.push(`w.space_id IN (${marks(spaces.length)})`);
    const rows: Array<{ id: string; created_at: unknown }> = await this.db
      .manager()
      .query(`SELECT w.id AS id, w.created_at AS created_at FROM (${inner}) w WHERE ${mine.join(' OR ')}`, [
        ...params,
        ...authors,
        ...spaces,
      ]);
    return rows.map((r) => ({ at: timeOf(r.created_at), id: r.id })).sort(streamOrder(newer));
  }

  /** The last thread of the window `window` reads, or null when fewer than `size` threads are left. */
  private async windowEnd(from: Key | null, newer: boolean, size: number): Promise<Key | null> {
    const edge: { id: string; created_at: unknown } | undefined = await this.threadKeys(from, newer, 1)
      .offset(size - 1)
      .getRawOne();
    return edge ? { at: timeOf(edge.created_at), id: edge.id } : null;
  }

  /** The keys of the first `size` threads after `from` in stream order, everyone's. */
  private threadKeys(from: Key | null, newer: boolean, size: number): SelectQueryBuilder<MicroblogPost> {
    const qb = this.posts().select('p.id', 'id').addSelect('p.created_at', 'created_at').where('p.is_reply = 0');
    return this.keyset(qb, keysAfter(from, newer, size));
  }

  /**
   * One round of the merge: the keys after `from` of every source (at most `size` each), merged in
   * stream order without duplicates, cut at the horizon; `horizon` is null when no source filled
   * its page (every key after `from` is then among the candidates).
   */
  private async candidates(
    sources: Array<{ column: string; value: string }>,
    from: Key | null,
    newer: boolean,
    size: number,
  ): Promise<{ candidates: Key[]; horizon: Key | null }> {
    const request = keysAfter(from, newer, size);
    const rows: Array<{ src: number; key: Key }> = [];
    for (let i = 0; i < sources.length; i += SOURCES_PER_QUERY) {
      const parts = sources.slice(i, i + SOURCES_PER_QUERY).map((source) => {
        const qb = this.posts()
          .select('p.id', 'id')
          .addSelect('p.created_at', 'created_at')
          .where(`p.${source.column} = :source AND p.is_reply = 0`, { source: source.value });
        return this.keyset(qb, request).getQueryAndParameters();
      });
      const sql = parts
        .map(
          ([query], n) =>
            `SELECT ${i + n} AS src, s${n}.id AS id, s${n}.created_at AS created_at FROM (${query}) s${n}`,
        )
        .join(' UNION ALL ');
      const found: Array<{ src: number | string; id: string; created_at: unknown }> = await this.db.manager().query(
        sql,
        parts.flatMap(([, params]) => params),
      );
      for (const row of found) rows.push({ src: Number(row.src), key: { at: timeOf(row.created_at), id: row.id } });
    }
    const before = streamOrder(newer);
    const bySource = new Map<number, Key[]>();
    for (const row of rows) (bySource.get(row.src) ?? bySource.set(row.src, []).get(row.src)!).push(row.key);
    let horizon: Key | null = null;
    for (const keys of bySource.values()) {
      if (keys.length < size) continue;
      const last = keys.reduce((a, b) => (before(a, b) > 0 ? a : b));
      if (!horizon || before(last, horizon) < 0) horizon = last;
    }
    const seen = new Set<string>();
    const candidates = rows
      .map((r) => r.key)
      .filter((k) => (!horizon || before(k, horizon) <= 0) && !seen.has(k.id) && seen.add(k.id))
      .sort(before);
    return { candidates, horizon };
  }

  /** The posts among `keys` that the viewer may see, in the order of `keys`. */
  private async visibleAmong(visibility: ContentVisibility, keys: Key[]): Promise<MicroblogPost[]> {
    if (!keys.length) return [];
    const qb = this.posts().where('p.id IN (:...ids)', { ids: keys.map((k) => k.id) });
    const rows = await visibility.applyTo(qb, 'p.content_id').getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return keys.map((k) => byId.get(k.id)).filter((p): p is MicroblogPost => Boolean(p));
  }

  /** Posts by id, in the order given, leaving out unknown ids. */
  async load(ids: readonly string[]): Promise<MicroblogPost[]> {
    if (!ids.length) return [];
    const rows = await this.db.repository(MicroblogPost).findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id)).filter((p): p is MicroblogPost => Boolean(p));
  }
}
