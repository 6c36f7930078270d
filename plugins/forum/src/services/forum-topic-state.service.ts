import { Injectable } from '@nestjs/common';
import { Audit, Clock, Database, EventBus } from '@plein/sdk';
import { MoreThan } from 'typeorm';
import { ForumCategory } from '../entities/forum-category.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { forumTopicUnpinned } from '../events';
import { ForumListingService } from './forum-listing.service';
import { topicUrl } from './forum-view.service';

/**
 * The counters and marks a topic and a category keep about their posts (so lists never count
 * posts), kept right after every change of a post's status, and the lazy end of pins.
 */
@Injectable()
export class ForumTopicStateService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly audit: Audit,
    private readonly listing: ForumListingService,
  ) {}

  /**
   * Hands out the next `count` positions of a topic. The UPDATE takes the topic's row lock (MySQL)
   * inside the caller's transaction, so concurrent replies get distinct positions.
   */
  async allocatePositions(topicId: string, count = 1): Promise<number> {
    await this.db
      .repository(ForumTopic)
      .createQueryBuilder()
      .update(ForumTopic)
      .set({ lastPosition: () => `last_position + ${Math.trunc(count)}` })
      .where('id = :topicId', { topicId })
      .execute();
    const row = await this.db
      .repository(ForumTopic)
      .findOneOrFail({ select: { id: true, lastPosition: true }, where: { id: topicId } });
    return row.lastPosition - count + 1;
  }

  /** Recounts published replies (positions after 1) and finds the newest published post (after a status change). */
  async recount(topicId: string): Promise<void> {
    const posts = this.db.repository(ForumPost);
    // The post at position 1 opens the topic; everything after it is a reply (a merged topic's
    // opening post too, once it follows the target's posts).
    const replies = await posts.count({ where: { topicId, position: MoreThan(1), status: 'published' } });
    const last = await posts.findOne({
      select: { id: true, position: true, authorId: true, createdAt: true },
      where: { topicId, status: 'published' },
      order: { position: 'DESC' },
    });
    const topic = await this.db
      .repository(ForumTopic)
      .findOne({ select: { id: true, createdAt: true, authorId: true }, where: { id: topicId } });
    if (!topic) return;
    await this.db.repository(ForumTopic).update(
      { id: topicId },
      {
        replyCount: replies,
        lastPostPosition: last?.position ?? 0,
        lastPostId: last?.id ?? null,
        lastPosterId: last?.authorId ?? topic.authorId,
        lastActivityAt: last?.createdAt ?? topic.createdAt,
      },
    );
  }

  /** Recounts the listed topics of a category. */
  async recountCategory(categoryId: string): Promise<void> {
    const topics = await this.db
      .repository(ForumTopic)
      .createQueryBuilder('t')
      .where("t.category_id = :categoryId AND t.status = 'published' AND t.merged_into_id IS NULL", { categoryId })
      .getCount();
    await this.db.repository(ForumCategory).update({ id: categoryId }, { topicCount: topics });
  }

  /**
   * Unpins topics whose pin ended: before a category's list is read (so the order is right the
   * moment a pin ends, whatever clock the intranet runs on) and by the `forum.unpin-expired` job.
   */
  async unpinExpired(categoryId: string | null): Promise<number> {
    const expired = await this.listing.expiredPins(categoryId);
    for (const topic of expired) {
      await this.db.transaction(async () => {
        const changed = await this.db
          .repository(ForumTopic)
          .createQueryBuilder()
          .update(ForumTopic)
          .set({ pinned: 0, pinScope: null, pinnedUntil: null })
          .where('id = :id AND pinned = 1 AND pinned_until <= :now', { id: topic.id, now: this.clock.now() })
          .execute();
        if (changed.affected !== 1) return;
        await this.events.publish(forumTopicUnpinned, {
          topicId: topic.id,
          contentId: topic.contentId,
          categoryId: topic.categoryId,
          spaceId: topic.spaceId,
          title: topic.title,
          url: topicUrl(topic.id),
          actorId: null,
          expired: true,
        });
        await this.audit.record({
          action: 'forum.topic.unpinned',
          subject: `forum-topic:${topic.id}`,
          actorId: null,
          details: { expired: true, until: topic.pinnedUntil?.toISOString() ?? null },
        });
      });
    }
    return expired.length;
  }
}
