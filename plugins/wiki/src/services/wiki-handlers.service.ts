import { HttpException, Injectable, Logger } from '@nestjs/common';
import {
  contentEvents,
  Database,
  EventBus,
  OnEvent,
  ProcessJob,
  Users,
  type ContentEventPayload,
  type DeliveredEvent,
} from '@plein/sdk';
import { WikiPage } from '../entities/wiki-page.entity';
import { refreshWikiLinks, wikiPromotionRefused, wikiPromotionRequested, type WikiPromotionRequest } from '../events';
import { WikiPagesService } from './wiki-pages.service';

/** The wiki's event handlers and job processors. */
@Injectable()
export class WikiHandlersService {
  private readonly logger = new Logger('wiki');

  constructor(
    private readonly db: Database,
    private readonly users: Users,
    private readonly pages: WikiPagesService,
    private readonly events: EventBus,
  ) {}

  /**
   * "Promote to wiki": another plugin asked for a page. Durable, so it happens once per event id
   * even when the delivery is retried; the requester's permissions and the gates apply as if they
   * had created the page themselves. A refusal (no permission, a gate's rejection, a bad title) is
   * logged, not retried, and announced as `wiki.promotion.refused` so the requester can try again.
   */
  @OnEvent(wikiPromotionRequested, { durable: true })
  async promote(event: DeliveredEvent<WikiPromotionRequest>): Promise<void> {
    if (await this.db.repository(WikiPage).existsBy({ originEventId: event.id })) return;
    const request = event.payload;
    const requester = await this.users.findById(request.requestedBy);
    if (!requester) {
      this.logger.warn(`promotion ${event.id} from '${event.publisher}': no user '${request.requestedBy}'`);
      await this.refuse(request, 404, `No user '${request.requestedBy}'`);
      return;
    }
    try {
      await this.pages.create(
        requester,
        {
          title: request.title,
          body: request.body,
          spaceId: request.spaceId ?? null,
          parentId: request.parentId ?? null,
          summary: request.summary ?? null,
        },
        { origin: request.origin, eventId: event.id },
      );
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      this.logger.warn(
        `promotion ${event.id} from '${event.publisher}' refused: ${JSON.stringify(error.getResponse())}`,
      );
      const problem = error.getResponse() as { detail?: unknown; errors?: unknown } | string;
      const detail = typeof problem === 'object' && typeof problem.detail === 'string' ? problem.detail : error.message;
      const errors = typeof problem === 'object' && Array.isArray(problem.errors) ? problem.errors : undefined;
      await this.refuse(request, error.getStatus(), detail, errors);
    }
  }

  private async refuse(
    request: WikiPromotionRequest,
    status: number,
    reason: string,
    errors?: Array<{ field: string; message: string }>,
  ): Promise<void> {
    await this.events.publish(wikiPromotionRefused, {
      requestedBy: request.requestedBy,
      origin: request.origin,
      status,
      reason,
      ...(errors ? { errors } : {}),
    });
  }

  /** A moderator approved a held page or edit: readers now see its newest revision. */
  @OnEvent(contentEvents.published)
  async onPublished(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    if (event.payload.type === 'wiki.page') await this.pages.published(event.payload.contentId, event.payload.status);
  }

  @OnEvent(contentEvents.restored)
  async onRestored(event: DeliveredEvent<ContentEventPayload>): Promise<void> {
    if (event.payload.type === 'wiki.page') await this.pages.published(event.payload.contentId, event.payload.status);
  }

  @ProcessJob(refreshWikiLinks)
  async refreshLinks(data: { spaceKey: string; keys: string[] }): Promise<void> {
    await this.pages.refreshLinks(data.spaceKey, data.keys);
  }
}
