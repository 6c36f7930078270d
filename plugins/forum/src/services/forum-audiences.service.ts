import { Injectable } from '@nestjs/common';
import { Contents, Database, ProcessJob, Settings } from '@plein/sdk';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { backfillAudiences } from '../events';
import type { ForumSettings } from '../settings';
import type { Viewer } from './forum-access.service';
import { ForumCategoriesService } from './forum-categories.service';

/** The audience of every topic and post in a category: core shows them only to its readers. */
export function categoryAudience(categoryId: string): string {
  return `forum:category:${categoryId}`;
}

/** Rows read, and content ids changed, per query. */
export const AUDIENCE_BATCH = 500;

/**
 * Keeps core's content records in step with the category their topic is in (see the README,
 * "Search, activity and digests"): each record carries its category's audience, and the resolver
 * core asks answers the categories a person may read. Moves, splits and merges call
 * {@link moveTopic} inside their transaction; the backfill job gives older items theirs.
 */
@Injectable()
export class ForumAudiencesService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly settings: Settings,
    private readonly categories: ForumCategoriesService,
  ) {}

  /** The audiences a person is in: one per category they may read (core's resolver). */
  async keysFor(viewer: Viewer): Promise<string[]> {
    return (await this.categories.list(viewer)).map((c) => categoryAudience(c.category.id));
  }

  /**
   * Gives a topic's record and every one of its posts' the audience of `categoryId`, a batch of
   * posts at a time (keyset on the topic's positions). Call it inside the transaction that moves them.
   */
  async moveTopic(
    topic: Pick<ForumTopic, 'id' | 'contentId'>,
    categoryId: string,
    batchSize = AUDIENCE_BATCH,
  ): Promise<void> {
    const audience = categoryAudience(categoryId);
    await this.contents.setAudience([topic.contentId], audience);
    let after = 0;
    for (;;) {
      const posts = await this.db
        .repository(ForumPost)
        .createQueryBuilder('p')
        .select(['p.contentId', 'p.position'])
        .where('p.topic_id = :topicId AND p.position > :after', { topicId: topic.id, after })
        .orderBy('p.position', 'ASC')
        .take(batchSize)
        .getMany();
      if (!posts.length) return;
      await this.contents.setAudience(
        posts.map((p) => p.contentId),
        audience,
      );
      if (posts.length < batchSize) return;
      after = posts[posts.length - 1].position;
    }
  }

  /**
   * Gives every topic and post the audience of its topic's category, paging through `forum_topic`
   * and then `forum_post` by id. Each batch is read and written in one transaction (on MySQL the
   * rows read are locked `FOR UPDATE`, which MariaDB and MySQL both know, for that short while), so
   * a topic moved meanwhile keeps its new audience. Running it again changes nothing.
   */
  async backfill(batchSize = AUDIENCE_BATCH): Promise<{ topics: number; posts: number }> {
    const lock = this.db.engine === 'mysql';
    let topics = 0;
    let posts = 0;
    let after = '';
    for (;;) {
      const batch = await this.db.transaction(async (m) => {
        const qb = m
          .createQueryBuilder(ForumTopic, 't')
          .select('t.id', 'id')
          .addSelect('t.content_id', 'contentId')
          .addSelect('t.category_id', 'categoryId')
          .where('t.id > :after', { after })
          .orderBy('t.id', 'ASC')
          .limit(batchSize);
        if (lock) qb.setLock('pessimistic_write');
        const rows = await qb.getRawMany<{ id: string; contentId: string; categoryId: string }>();
        await this.apply(rows);
        return rows;
      });
      topics += batch.length;
      if (batch.length < batchSize) break;
      after = batch[batch.length - 1].id;
    }
    // Posts after topics: a merged topic's record is its opening post, now in the target's category.
    after = '';
    for (;;) {
      const batch = await this.db.transaction(async (m) => {
        const qb = m
          .createQueryBuilder(ForumPost, 'p')
          .innerJoin(ForumTopic, 't', 't.id = p.topic_id')
          .select('p.id', 'id')
          .addSelect('p.content_id', 'contentId')
          .addSelect('t.category_id', 'categoryId')
          .where('p.id > :after', { after })
          .orderBy('p.id', 'ASC')
          .limit(batchSize);
        if (lock) qb.setLock('pessimistic_write');
        const rows = await qb.getRawMany<{ id: string; contentId: string; categoryId: string }>();
        await this.apply(rows);
        return rows;
      });
      posts += batch.length;
      if (batch.length < batchSize) break;
      after = batch[batch.length - 1].id;
    }
    return { topics, posts };
  }

  /** Gives these records the audience of `categoryId`, {@link AUDIENCE_BATCH} ids per update. */
  async setAudience(contentIds: readonly string[], categoryId: string): Promise<void> {
    for (let i = 0; i < contentIds.length; i += AUDIENCE_BATCH)
      await this.contents.setAudience(contentIds.slice(i, i + AUDIENCE_BATCH), categoryAudience(categoryId));
  }

  /** One `setAudience` per category of the batch. */
  private async apply(rows: Array<{ contentId: string; categoryId: string }>): Promise<void> {
    const byCategory = new Map<string, string[]>();
    for (const row of rows) {
      const ids = byCategory.get(row.categoryId) ?? [];
      ids.push(row.contentId);
      byCategory.set(row.categoryId, ids);
    }
    for (const [categoryId, ids] of byCategory) await this.contents.setAudience(ids, categoryAudience(categoryId));
  }

  @ProcessJob(backfillAudiences)
  async runBackfill(): Promise<void> {
    await this.backfill();
    await this.settings.update<ForumSettings>({ audiencesBackfilled: true });
  }
}
