import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database, decodeCursor, InvalidInput, type ContentRecord } from '@plein/sdk';
import { In, type SelectQueryBuilder } from 'typeorm';
import { ForumCategoryRead, ForumRead } from '../entities/forum-read.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { ForumWatch, type WatchLevel } from '../entities/forum-watch.entity';
import type { Viewer } from './forum-access.service';
import { entitiesFrom, selectEntities, sqlTime } from './forum-sql';

/** The sort key of a topic in a category's list: pinned first, then by last activity. */
export interface TopicCursor {
  /** 1 while in the pinned part of the list, 0 after. */
  p: number;
  /** last activity, ISO */
  a: string;
  id: string;
}

/** A `?cursor=` of a topic list, checked: a 422 naming `cursor` for anything this list did not give out. */
export function readTopicCursor(value: string | undefined): TopicCursor | null {
  const cursor = decodeCursor<TopicCursor>(value);
  if (
    cursor &&
    !(
      (cursor.p === 0 || cursor.p === 1) &&
      typeof cursor.a === 'string' &&
      !Number.isNaN(Date.parse(cursor.a)) &&
      typeof cursor.id === 'string' &&
      cursor.id.length <= 64
    )
  )
    throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
  return cursor;
}

export interface TopicFilter {
  solved?: boolean | null;
  tag?: string | null;
}

/** The columns a list of topics needs. */
const TOPIC_COLUMNS = [
  't.id',
  't.contentId',
  't.categoryId',
  't.spaceId',
  't.title',
  't.authorId',
  't.firstPostId',
  't.pinned',
  't.pinScope',
  't.pinnedUntil',
  't.locked',
  't.closed',
  't.solutionPostId',
  't.mergedIntoId',
  't.lastPosition',
  't.lastPostPosition',
  't.lastPostId',
  't.lastPosterId',
  't.lastActivityAt',
  't.replyCount',
  't.status',
  't.createdAt',
  't.updatedAt',
];

/** Per-viewer reading state of a topic in a list. */
export interface ReadingState {
  watchLevel: WatchLevel;
  lastReadPosition: number | null;
  unreadCount: number;
  /** Never opened, with activity since the viewer last marked the category read. */
  new: boolean;
}

/**
 * Every listing of topics and posts goes through `Contents.visibleTo(viewer)`: one join that keeps
 * out hidden, deleted, others' held and private-space items, with no visibility code here. Lists
 * are keyset-paginated on the plugin's own indexes (no OFFSET): a category's topics by
 * `(pinned, last_activity_at, id)`, a topic's posts by `position`.
 */
@Injectable()
export class ForumListingService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly clock: Clock,
  ) {}

  private async visibleTopics(viewer: Viewer): Promise<SelectQueryBuilder<ForumTopic>> {
    const qb = this.db.repository(ForumTopic).createQueryBuilder('t').select(TOPIC_COLUMNS);
    return (await this.contents.visibleTo(viewer)).applyTo(qb, 't.content_id');
  }

  /**
   * One page of a category's topics. The pinned part and the rest are each a range of the
   * `(category_id, pinned, last_activity_at, id)` index, so a deep page costs what page 1 costs.
   */
  async topics(
    viewer: Viewer,
    categoryId: string,
    limit: number,
    after: TopicCursor | null,
    filter: TopicFilter = {},
  ): Promise<{ rows: ForumTopic[]; next: TopicCursor | null }> {
    const rows: ForumTopic[] = [];
    if (!after || after.p === 1) rows.push(...(await this.topicsIn(viewer, categoryId, 1, limit + 1, after, filter)));
    if (rows.length <= limit) {
      const rest = after && after.p === 0 ? after : null;
      rows.push(...(await this.topicsIn(viewer, categoryId, 0, limit + 1 - rows.length, rest, filter)));
    }
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next =
      rows.length > limit && last
        ? { p: last.pinned ? 1 : 0, a: last.lastActivityAt.toISOString(), id: last.id }
        : null;
    return { rows: page, next };
  }

  private async topicsIn(
    viewer: Viewer,
    categoryId: string,
    pinned: number,
    limit: number,
    after: TopicCursor | null,
    filter: TopicFilter,
  ): Promise<ForumTopic[]> {
    const qb = (await this.visibleTopics(viewer))
      .where('t.category_id = :categoryId AND t.pinned = :pinned AND t.merged_into_id IS NULL', { categoryId, pinned })
      .orderBy('t.lastActivityAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit);
    if (after)
      // The first conjunct is a range the index can seek to (an OR alone makes SQLite scan from the top).
      qb.andWhere('(t.last_activity_at, t.id) < (:at, :afterId)', {
        at: new Date(after.a),
        afterId: after.id,
      });
    if (filter.solved === true) qb.andWhere('t.solution_post_id IS NOT NULL');
    if (filter.solved === false) qb.andWhere('t.solution_post_id IS NULL');
    if (filter.tag)
      qb.andWhere('EXISTS (SELECT 1 FROM forum_topic_tag tt WHERE tt.topic_id = t.id AND tt.tag = :tag)', {
        tag: filter.tag,
      });
    // Built by TypeORM (the visibility join), run as it is and read by the columns' types: the
    // rows are plain topics, so TypeORM's entity transformer has nothing to add.
    const [sql, parameters] = qb.getQueryAndParameters();
    return entitiesFrom(this.db, ForumTopic, await this.db.manager().query(sql, parameters), 't_');
  }

  /** Topics pinned everywhere that the viewer may see (a handful), newest activity first. */
  async globalPins(viewer: Viewer, limit = 10): Promise<ForumTopic[]> {
    return (await this.visibleTopics(viewer))
      .where("t.pin_scope = 'global' AND t.pinned = 1 AND t.merged_into_id IS NULL")
      .orderBy('t.lastActivityAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .limit(limit)
      .getMany();
  }

  /** Pinned topics whose pin ended, in one category or (null) everywhere: reads unpin them. */
  async expiredPins(categoryId: string | null): Promise<ForumTopic[]> {
    // Every list read asks (nearly always for nothing): one plain statement, no query builder.
    return selectEntities(
      this.db,
      ForumTopic,
      `pinned = 1 AND pinned_until IS NOT NULL AND pinned_until <= ?${categoryId ? ' AND category_id = ?' : ''} LIMIT 100`,
      [sqlTime(this.clock.now()), ...(categoryId ? [categoryId] : [])],
    );
  }

  /**
   * Posts of a topic by position: those after `after` (and up to `through`, for a numbered page),
   * oldest first. Moderators also get the deleted and hidden ones (no listing shows those), read
   * by the same index, so they can restore them.
   */
  async posts(
    viewer: Viewer,
    topicId: string,
    range: { after: number; through: number | null },
    limit: number,
    moderator: boolean,
  ): Promise<{ rows: ForumPost[]; more: boolean }> {
    const base = () => {
      const qb = this.db
        .repository(ForumPost)
        .createQueryBuilder('p')
        .where('p.topic_id = :topicId AND p.position > :after', { topicId, after: range.after })
        .orderBy('p.position', 'ASC')
        .limit(limit + 1);
      if (range.through !== null) qb.andWhere('p.position <= :through', { through: range.through });
      return qb;
    };
    const visible = (await this.contents.visibleTo(viewer)).applyTo(base(), 'p.content_id');
    let rows = await visible.getMany();
    if (moderator) {
      const removed = await base().andWhere("p.status IN ('deleted', 'hidden')").getMany();
      if (removed.length) {
        const seen = new Set(rows.map((r) => r.id));
        rows = [...rows, ...removed.filter((r) => !seen.has(r.id))].sort((a, b) => a.position - b.position);
        rows = rows.slice(0, limit + 1);
      }
    }
    return { rows: rows.slice(0, limit), more: rows.length > limit };
  }

  /** The first visible post after a position (the first unread one). */
  async firstVisibleAfter(viewer: Viewer, topicId: string, position: number): Promise<ForumPost | null> {
    const { rows } = await this.posts(viewer, topicId, { after: position, through: null }, 1, false);
    return rows[0] ?? null;
  }

  async tagsOf(topicIds: readonly string[]): Promise<Map<string, string[]>> {
    const tags = new Map<string, string[]>();
    if (!topicIds.length) return tags;
    // A plain statement: every list of topics asks it.
    const ids = [...new Set(topicIds)];
    const rows: Array<{ topic_id: string; tag: string }> = await this.db
      .manager()
      .query(
        `SELECT topic_id, tag FROM forum_topic_tag WHERE topic_id IN (${ids.map(() => '?').join(', ')}) ORDER BY tag`,
        ids,
      );
    for (const row of rows) (tags.get(row.topic_id) ?? tags.set(row.topic_id, []).get(row.topic_id)!).push(row.tag);
    return tags;
  }

  /** Content records of a page of items, keyed by content id. */
  records(contentIds: readonly string[]): Promise<Map<string, ContentRecord>> {
    return this.contents.getMany(contentIds);
  }

  /** Since when activity counts as unread for the viewer in each category. */
  async unreadSince(userId: string, categoryIds: readonly string[], windowDays: number): Promise<Map<string, Date>> {
    const window = new Date(this.clock.now().getTime() - windowDays * 86_400_000);
    const since = new Map(categoryIds.map((id) => [id, window]));
    if (!categoryIds.length) return since;
    const marks = await this.db
      .repository(ForumCategoryRead)
      .find({ where: { userId, categoryId: In([...categoryIds]) } });
    for (const mark of marks) if (mark.markedAt > window) since.set(mark.categoryId, mark.markedAt);
    return since;
  }

  /** The viewer's reading state of each topic of a page (two primary-key batch reads). */
  async readingStates(
    userId: string,
    topics: readonly ForumTopic[],
    windowDays: number,
  ): Promise<Map<string, ReadingState>> {
    const states = new Map<string, ReadingState>();
    if (!topics.length) return states;
    const ids = topics.map((t) => t.id);
    const [reads, watches, since] = await Promise.all([
      this.db.repository(ForumRead).find({ where: { userId, topicId: In(ids) } }),
      this.db.repository(ForumWatch).find({ where: { userId, topicId: In(ids) } }),
      this.unreadSince(userId, [...new Set(topics.map((t) => t.categoryId))], windowDays),
    ]);
    const readOf = new Map(reads.map((r) => [r.topicId, r.position]));
    const levelOf = new Map(watches.map((w) => [w.topicId, w.level]));
    for (const topic of topics) {
      const watchLevel = levelOf.get(topic.id) ?? 'normal';
      const lastReadPosition = readOf.get(topic.id) ?? null;
      const active = topic.lastActivityAt > since.get(topic.categoryId)!;
      const counted = active && watchLevel !== 'muted';
      states.set(topic.id, {
        watchLevel,
        lastReadPosition,
        unreadCount: counted && lastReadPosition !== null ? Math.max(0, topic.lastPostPosition - lastReadPosition) : 0,
        new: counted && lastReadPosition === null,
      });
    }
    return states;
  }

  /**
   * Unread topics per category for a signed-in viewer: topics with activity since they last marked
   * the category read (and within the unread window), not muted, never opened or with posts after
   * their read position. One grouped query over the category's list index.
   */
  async unreadCounts(
    viewer: { id: string },
    categoryIds: readonly string[],
    windowDays: number,
  ): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (!categoryIds.length) return counts;
    const window = new Date(this.clock.now().getTime() - windowDays * 86_400_000);
    const qb = this.db
      .repository(ForumTopic)
      .createQueryBuilder('t')
      .select('t.category_id', 'categoryId')
      .addSelect('COUNT(*)', 'unread')
      .leftJoin(ForumRead, 'r', 'r.topic_id = t.id AND r.user_id = :uid', { uid: viewer.id })
      .leftJoin(ForumWatch, 'w', 'w.topic_id = t.id AND w.user_id = :uid')
      .leftJoin(ForumCategoryRead, 'cr', 'cr.category_id = t.category_id AND cr.user_id = :uid')
      // `pinned IN (0, 1)` names every value of the index's second column, so the activity range
      // after it is a seek on `idx_forum_topic_list`, not a scan of the category.
      .where(
        't.category_id IN (:...categoryIds) AND t.pinned IN (0, 1) AND t.last_activity_at > :window AND t.merged_into_id IS NULL',
        {
          categoryIds: [...categoryIds],
          window,
        },
      )
      .andWhere('(cr.marked_at IS NULL OR t.last_activity_at > cr.marked_at)')
      .andWhere("(w.level IS NULL OR w.level <> 'muted')")
      .andWhere('(r.position IS NULL OR r.position < t.last_post_position)')
      .groupBy('t.category_id');
    (await this.contents.visibleTo(viewer)).applyTo(qb, 't.content_id');
    const rows: Array<{ categoryId: string; unread: string | number }> = await qb.getRawMany();
    for (const row of rows) counts.set(row.categoryId, Number(row.unread));
    return counts;
  }
}
