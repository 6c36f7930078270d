import { Injectable } from '@nestjs/common';
import { contentEvents, OnEvent, type ContentEventPayload, type DeliveredEvent } from '@plein/sdk';
import { microblogPostContent } from '../events';
import { MicroblogPostsService } from './microblog-posts.service';

/**
 * The microblog's event handlers. Core publishes `content.published` when a post is written and
 * published, and when a moderator approves a held one; `content.edited` after every edit. Either
 * way, those mentioned (and the author replied to) who were not told yet are told now.
 */
@Injectable()
export class MicroblogHandlersService {
  constructor(private readonly posts: MicroblogPostsService) {}

  @OnEvent(contentEvents.published)
  async onPublished(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    if (event.payload.type === microblogPostContent.name) await this.posts.published(event.payload.contentId);
  }

  @OnEvent(contentEvents.restored)
  async onRestored(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    if (event.payload.type === microblogPostContent.name) await this.posts.published(event.payload.contentId);
  }

  @OnEvent(contentEvents.edited)
  async onEdited(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    if (event.payload.type === microblogPostContent.name && event.payload.status === 'published')
      await this.posts.published(event.payload.contentId);
  }
}
