import { Injectable } from '@nestjs/common';
import {
  contentEvents,
  Database,
  OnEvent,
  ProcessJob,
  Users,
  type ContentEventPayload,
  type DeliveredEvent,
} from '@plein/sdk';
import { ForumCategory } from '../entities/forum-category.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { unpinExpiredTopics } from '../events';
import { ForumNotifyService } from './forum-notify.service';
import { ForumRenderService } from './forum-render.service';
import { ForumTopicStateService } from './forum-topic-state.service';

const FORUM_TYPES = new Set(['forum.topic', 'forum.post']);

/**
 * Keeps the forum's mirrors of content statuses, and its counters, right when a status changes
 * elsewhere (a moderator approves, hides or deletes an item through the moderation plugin), and
 * tells people about a held post once it is approved.
 */
@Injectable()
export class ForumHandlersService {
  constructor(
    private readonly db: Database,
    private readonly users: Users,
    private readonly state: ForumTopicStateService,
    private readonly notify: ForumNotifyService,
    private readonly renderer: ForumRenderService,
  ) {}

  @OnEvent(contentEvents.published)
  onPublished(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    return this.sync(event.payload);
  }

  @OnEvent(contentEvents.restored)
  onRestored(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    return this.sync(event.payload);
  }

  @OnEvent(contentEvents.hidden)
  onHidden(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    return this.sync(event.payload);
  }

  @OnEvent(contentEvents.deleted)
  onDeleted(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    return this.sync(event.payload);
  }

  @OnEvent(contentEvents.held)
  onHeld(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    return this.sync(event.payload);
  }

  /** Mirrors the new status on the forum's rows; recounts; announces a post approved after review. */
  private async sync(payload: ContentEventPayload): Promise<void> {
    if (!FORUM_TYPES.has(payload.type)) return;
    const { contentId, status } = payload;
    const posts = await this.db.repository(ForumPost).find({ where: { contentId } });
    const topics = await this.db.repository(ForumTopic).find({ where: { contentId } });
    const changed = posts.filter((p) => p.status !== status);
    if (!changed.length && topics.every((t) => t.status === status)) return;
    await this.db.transaction(async () => {
      if (changed.length) await this.db.repository(ForumPost).update({ contentId }, { status });
      for (const topic of topics) {
        await this.db.repository(ForumTopic).update({ id: topic.id }, { status });
        await this.state.recountCategory(topic.categoryId);
      }
      for (const topicId of new Set(changed.map((p) => p.topicId))) await this.state.recount(topicId);
    });
    // A post approved after review is news; an edit approved after review is not (its post was).
    const approved = changed.filter((p) => p.status === 'pending' && status === 'published' && p.editedAt === null);
    for (const post of approved) await this.announce(post);
  }

  private async announce(post: ForumPost): Promise<void> {
    const topic = await this.db.repository(ForumTopic).findOneBy({ id: post.topicId });
    const category = topic ? await this.db.repository(ForumCategory).findOneBy({ id: topic.categoryId }) : null;
    const author = await this.users.findById(post.authorId);
    if (!topic || !category || !author) return;
    const parent = category.parentId
      ? await this.db.repository(ForumCategory).findOneBy({ id: category.parentId })
      : null;
    const { mentions } = await this.renderer.render(post.body);
    await this.notify.postPublished({ topic, category, parent, post, author, mentions });
  }

  @ProcessJob(unpinExpiredTopics)
  async unpinExpired(): Promise<void> {
    await this.state.unpinExpired(null);
  }
}
