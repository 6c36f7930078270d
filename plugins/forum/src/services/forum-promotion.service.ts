import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  OnEvent,
  Permissions,
  Users,
  type DeliveredEvent,
  type UserRef,
} from '@plein/sdk';
import {
  wikiPageCreated,
  wikiPermissions,
  wikiPromotionRefused,
  wikiPromotionRequested,
  type WikiPageEventPayload,
  type WikiPromotionOrigin,
  type WikiPromotionRefusal,
} from '@plein/plugin-wiki';
import { QueryFailedError } from 'typeorm';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumPromotion, type PromotionStatus } from '../entities/forum-promotion.entity';
import { ForumAccessService, signedIn, type TopicAccess, type Viewer } from './forum-access.service';
import { selectEntities } from './forum-sql';
import { postUrl, topicUrl } from './forum-view.service';

/** A topic's promotion as the API answers it. */
export interface PromotionView {
  status: PromotionStatus;
  /** The title the page was asked for with. */
  title: string;
  requestedBy: string;
  requestedAt: string;
  /** The wiki page, once the wiki made it. */
  page: { id: string; url: string; title: string } | null;
  /** Why the wiki refused (status `refused`). */
  reason: string | null;
}

/** What the topic's page shows about promoting it. */
export interface PromotionPanel {
  status: PromotionStatus | null;
  page: { url: string; title: string } | null;
  reason: string | null;
  /** The viewer may ask for the promotion now (the button). */
  canPromote: boolean;
}

/** The plugin id the wiki's events name as the origin of the pages made from topics. */
const ORIGIN = 'forum';
/**
 * A request still without an answer from the wiki after this long may be made again (the wiki was
 * disabled while the request waited, and its delivery was skipped).
 */
export const STALE_REQUEST_MS = 3_600_000;

const isDuplicate = (error: unknown) =>
  error instanceof QueryFailedError &&
  /ER_DUP_ENTRY|UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(
    `${(error as { code?: string }).code ?? ''} ${error.message}`,
  );

/** Markdown that shows `text` as a quotation. */
export const quote = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => (l ? `> ${l}` : '>'))
    .join('\n');

/** A person as a link to their profile (not an `@mention`, which would notify them again). */
export const personLink = (person: UserRef | null) =>
  person
    ? `[${person.displayName.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, '\\$&')}](/users/${encodeURIComponent(person.handle)})`
    : 'someone';

/**
 * "Promote to wiki": a solved topic becomes a wiki page (the opening post and the solution quoted,
 * with who wrote them and links back), asked for by the topic's author or a moderator of its
 * category (`forum.topic.moderate`) through the wiki's extension point `wiki.promotion.requested`.
 * One row per topic keeps it to one page; the wiki's `wiki.page.created` (origin: this topic) fills
 * in the page, `wiki.promotion.refused` lets the action be asked for again. Without the wiki (not
 * installed, or disabled), the action is absent: nobody handles the request.
 */
@Injectable()
export class ForumPromotionService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly users: Users,
    private readonly contents: Contents,
    private readonly permissions: Permissions,
    private readonly access: ForumAccessService,
  ) {}

  /** Whether the wiki is installed and enabled right now (it handles promotion requests). */
  available(): boolean {
    return this.events.hasHandlers(wikiPromotionRequested);
  }

  /** The topic's author, or a moderator of its category, who may also create wiki pages in its space. */
  async mayPromote(viewer: Viewer, access: TopicAccess): Promise<boolean> {
    if (!viewer) return false;
    if (viewer.id !== access.topic.authorId && !access.moderator) return false;
    return this.permissions.can(viewer, wikiPermissions.create, { spaceId: access.topic.spaceId });
  }

  async find(topicId: string): Promise<ForumPromotion | null> {
    // A plain statement: every topic page asks it.
    return (await selectEntities(this.db, ForumPromotion, 'topic_id = ?', [topicId]))[0] ?? null;
  }

  view(row: ForumPromotion): PromotionView {
    return {
      status: row.status,
      title: row.title,
      requestedBy: row.requestedBy,
      requestedAt: row.requestedAt.toISOString(),
      page:
        row.status === 'promoted' && row.pageId && row.pageUrl
          ? { id: row.pageId, url: row.pageUrl, title: row.pageTitle ?? row.title }
          : null,
      reason: row.status === 'refused' ? row.refusedReason : null,
    };
  }

  /** Whether the action may be asked for again: the wiki refused, or never answered. */
  private reopened(row: { status: PromotionStatus; requestedAt: Date | string }): boolean {
    if (row.status === 'refused') return true;
    const asked = new Date(row.requestedAt).getTime();
    return row.status === 'requested' && this.clock.now().getTime() - asked > STALE_REQUEST_MS;
  }

  /**
   * What the topic's page shows: the page made from it, the state of a request, the button.
   * `promotion` is the topic's, as `GET /topics/:id` answers it (already read for the page).
   */
  async panel(viewer: Viewer, access: TopicAccess, promotion: PromotionView | null): Promise<PromotionPanel | null> {
    if (!this.available()) return null;
    if (promotion?.page)
      return {
        status: 'promoted',
        page: { url: promotion.page.url, title: promotion.page.title },
        reason: null,
        canPromote: false,
      };
    const { topic, record } = access;
    const promotable = topic.solutionPostId !== null && record.status === 'published' && !topic.mergedIntoId;
    if (!promotable || !(await this.mayPromote(viewer, access))) return null;
    return {
      status: promotion?.status ?? null,
      page: null,
      reason: promotion?.reason ?? null,
      canPromote: !promotion || this.reopened(promotion),
    };
  }

  /**
   * Asks the wiki for a page made from the topic `id`: 404 without the wiki (or when the viewer may
   * not see the topic), 403 for someone other than its author or a moderator of its category (or
   * who may not create wiki pages in its space), 409 for a topic without a solution, one that is not
   * published or was merged, and one already promoted (with the page, when made).
   */
  async promote(viewer: Viewer, id: string): Promise<ForumPromotion> {
    const actor = signedIn(viewer);
    if (!this.available())
      throw new NotFoundException(
        'Promoting to the wiki is not available: the wiki plugin is not installed or is disabled',
      );
    const access = await this.access.topic(actor, id);
    const { topic, record } = access;
    if (!(await this.mayPromote(actor, access)))
      throw new ForbiddenException(
        'Only the person who started the topic, or a moderator of its category, who may also create wiki pages in its space, promotes a topic to the wiki',
      );
    if (record.status !== 'published' || topic.mergedIntoId)
      throw new Conflict(
        topic.mergedIntoId
          ? 'This topic was merged into another: promote that one'
          : 'This topic is not published (it waits for review, was hidden or deleted): it cannot be promoted',
      );
    const [opening, solution] = await Promise.all([
      this.db.repository(ForumPost).findOneBy({ id: topic.firstPostId }),
      topic.solutionPostId ? this.db.repository(ForumPost).findOneBy({ id: topic.solutionPostId }) : null,
    ]);
    const solutionRecord = solution ? await this.contents.get(solution.contentId) : null;
    if (!opening || !solution || solution.topicId !== topic.id || solutionRecord?.status !== 'published')
      throw new Conflict('This topic is not solved yet: mark the reply that solves it before promoting it to the wiki');
    const people = await this.users.findByIds([opening.authorId, solution.authorId]);
    const title = topic.title;
    const body = [
      '## Question',
      '',
      quote(opening.body),
      '',
      `— ${personLink(people.get(opening.authorId) ?? null)}, [the topic in the forum](${topicUrl(topic.id)})`,
      '',
      '## Solution',
      '',
      quote(solution.body),
      '',
      `— ${personLink(people.get(solution.authorId) ?? null)}, [the solution in the forum](${postUrl(solution.id)})`,
      '',
    ].join('\n');
    const requested: ForumPromotion = {
      topicId: topic.id,
      contentId: topic.contentId,
      status: 'requested',
      requestedBy: actor.id,
      requestedAt: this.clock.now(),
      title,
      pageId: null,
      pageUrl: null,
      pageTitle: null,
      promotedAt: null,
      refusedReason: null,
    };
    const repo = this.db.repository(ForumPromotion);
    try {
      await this.db.transaction(async () => {
        const existing = await repo.findOneBy({ topicId: topic.id });
        if (existing && !this.reopened(existing)) throw this.already(existing);
        if (existing) {
          // A refused promotion may be asked for again; of two such requests one claims the row.
          const claimed = await repo.update(
            { topicId: topic.id, status: existing.status, requestedAt: existing.requestedAt },
            requested,
          );
          if (!claimed.affected) throw this.already((await repo.findOneBy({ topicId: topic.id })) ?? existing);
        } else await repo.insert(requested);
        await this.events.publish(wikiPromotionRequested, {
          requestedBy: actor.id,
          title,
          body,
          spaceId: topic.spaceId,
          summary: 'Promoted from the forum',
          origin: { pluginId: ORIGIN, contentId: topic.contentId, url: topicUrl(topic.id), title },
        });
      });
    } catch (error) {
      if (isDuplicate(error)) {
        const winner = await repo.findOneBy({ topicId: topic.id });
        throw winner ? this.already(winner) : new Conflict('This topic is already being promoted to the wiki');
      }
      throw error;
    }
    return requested;
  }

  private already(row: ForumPromotion): Conflict {
    const view = this.view(row);
    return new Conflict(
      view.page
        ? `This topic is already promoted to the wiki: “${view.page.title}” (${view.page.url})`
        : 'This topic is already being promoted to the wiki; the page appears in a moment',
      { promotion: view },
    );
  }

  /** The wiki made a page from one of our topics: remember it, for the link back. */
  @OnEvent(wikiPageCreated, { durable: true })
  async onPageCreated(
    event: DeliveredEvent<WikiPageEventPayload & { origin: WikiPromotionOrigin | null }>,
  ): Promise<void> {
    const { origin } = event.payload;
    if (origin?.pluginId !== ORIGIN || !origin.contentId) return;
    await this.db.repository(ForumPromotion).update(
      { contentId: origin.contentId },
      {
        status: 'promoted',
        pageId: event.payload.pageId,
        pageUrl: event.payload.url,
        pageTitle: [...event.payload.title].slice(0, 200).join(''),
        promotedAt: this.clock.now(),
        refusedReason: null,
      },
    );
  }

  /** The wiki refused: the topic may be promoted again, and its page says why it was not. */
  @OnEvent(wikiPromotionRefused, { durable: true })
  async onRefused(event: DeliveredEvent<WikiPromotionRefusal>): Promise<void> {
    const { origin } = event.payload;
    if (origin.pluginId !== ORIGIN || !origin.contentId) return;
    await this.db
      .repository(ForumPromotion)
      .update(
        { contentId: origin.contentId, status: 'requested' },
        { status: 'refused', refusedReason: [...event.payload.reason].slice(0, 500).join('') },
      );
  }
}
