import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
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
import type { MicroblogPost } from '../entities/microblog-post.entity';
import { MicroblogPromotion, type PromotionStatus } from '../entities/microblog-promotion.entity';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, signedIn, type Viewer } from './microblog-access.service';
import { postUrl } from './microblog-notify.service';

/** A question's promotion as the API answers it. */
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

/** What the question's page shows about promoting it. */
export interface PromotionPanel {
  status: PromotionStatus | null;
  page: { url: string; title: string } | null;
  reason: string | null;
  /** The viewer may ask for the promotion now (the button). */
  canPromote: boolean;
}

/** The plugin id the wiki's events name as the origin of the pages made from questions. */
const ORIGIN = 'microblog';
/** Longest title made from a question's first line, in characters. */
const TITLE_LENGTH = 120;
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

// eslint-disable-next-line no-control-regex -- control characters are what a title may not hold
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** A page title from a question: its first line of text, without Markdown marks, at most 120 characters. */
export function questionTitle(body: string): string {
  const line =
    body
      .split('\n')
      .map((l) =>
        l
          .replace(CONTROL, ' ')
          .replace(/^\s*(?:#{1,6}\s|>\s?|[-*+]\s|\d+[.)]\s)*/, '')
          .replace(/[*_`~]+/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
      .find((l) => l.length > 0) ?? '';
  const chars = [...line];
  if (chars.length <= TITLE_LENGTH) return line || 'Question';
  const cut = chars.slice(0, TITLE_LENGTH - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut}…`;
}

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
 * "Promote to wiki": a question with an accepted answer becomes a wiki page (the question and the
 * answer quoted, with who wrote them and links back), asked for by the question's author or a
 * moderator of its space through the wiki's extension point `wiki.promotion.requested`. One row
 * per question keeps it to one page; the wiki's `wiki.page.created` (origin: this question) fills
 * in the page, `wiki.promotion.refused` lets the action be asked for again. Without the wiki
 * (not installed, or disabled), the action is absent: nobody handles the request.
 */
@Injectable()
export class MicroblogPromotionService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly users: Users,
    private readonly permissions: Permissions,
    private readonly access: MicroblogAccessService,
  ) {}

  /** Whether the wiki is installed and enabled right now (it handles promotion requests). */
  available(): boolean {
    return this.events.hasHandlers(wikiPromotionRequested);
  }

  /** The question's author, or a moderator of its space, who may also create wiki pages there. */
  async mayPromote(viewer: Viewer, question: MicroblogPost): Promise<boolean> {
    if (!viewer || question.kind !== 'question') return false;
    const mayAnswer =
      viewer.id === question.authorId ||
      (await this.access.canInSpace(viewer, microblogPermissions.moderate, question.spaceId));
    if (!mayAnswer) return false;
    return this.permissions.can(viewer, wikiPermissions.create, { spaceId: question.spaceId });
  }

  /** Whether the action may be asked for again: the wiki refused, or never answered. */
  private reopened(row: MicroblogPromotion): boolean {
    if (row.status === 'refused') return true;
    return row.status === 'requested' && this.clock.now().getTime() - row.requestedAt.getTime() > STALE_REQUEST_MS;
  }

  async find(postId: string): Promise<MicroblogPromotion | null> {
    return this.db.repository(MicroblogPromotion).findOneBy({ postId });
  }

  view(row: MicroblogPromotion): PromotionView {
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

  /** What the question's page shows: the page made from it, the state of a request, the button. */
  async panel(viewer: Viewer, question: MicroblogPost): Promise<PromotionPanel | null> {
    if (question.kind !== 'question' || !this.available()) return null;
    const row = await this.find(question.id);
    const may = question.answered && (await this.mayPromote(viewer, question));
    if (row?.status === 'promoted' && row.pageUrl)
      return {
        status: 'promoted',
        page: { url: row.pageUrl, title: row.pageTitle ?? row.title },
        reason: null,
        canPromote: false,
      };
    if (!may) return null;
    return {
      status: row?.status ?? null,
      page: null,
      reason: row?.status === 'refused' ? row.refusedReason : null,
      canPromote: !row || this.reopened(row),
    };
  }

  /**
   * Asks the wiki for a page made from the question `id`: 404 without the wiki (or when the viewer
   * may not see the question), 403 for someone other than its author or a moderator of its space
   * (or who may not create wiki pages there), 409 for a post that is not a question, a question
   * without an accepted answer, and a question already promoted (with the page, when made).
   */
  async promote(viewer: Viewer, id: string): Promise<MicroblogPromotion> {
    const actor = signedIn(viewer);
    if (!this.available())
      throw new NotFoundException(
        'Promoting to the wiki is not available: the wiki plugin is not installed or is disabled',
      );
    const { post: question, record } = await this.access.read(actor, id);
    if (question.kind !== 'question')
      throw new Conflict('Only a question with an accepted answer can be promoted to the wiki; this is a post');
    if (!(await this.mayPromote(actor, question)))
      throw new ForbiddenException(
        'Only the person who asked, or a moderator of its space, who may also create wiki pages there, promotes a question to the wiki',
      );
    if (record.status !== 'published')
      throw new Conflict('This question is not published (it waits for review or was hidden): it cannot be promoted');
    const answer = question.acceptedAnswerId
      ? await this.access.post(question.acceptedAnswerId).catch(() => null)
      : null;
    const answerRecord = answer && !answer.deletedAt ? await this.access.canRead(actor, answer) : null;
    if (!answer || answerRecord?.status !== 'published')
      throw new Conflict(
        'This question has no accepted answer yet: accept an answer before promoting the question to the wiki',
      );
    const people = await this.users.findByIds([question.authorId, answer.authorId]);
    const title = questionTitle(question.body);
    const body = [
      '## Question',
      '',
      quote(question.body),
      '',
      `— ${personLink(people.get(question.authorId) ?? null)}, [the question in the microblog](${postUrl(question.id)})`,
      '',
      '## Accepted answer',
      '',
      quote(answer.body),
      '',
      `— ${personLink(people.get(answer.authorId) ?? null)}, [the answer in the microblog](${postUrl(question.id)}#microblog.post-${answer.id})`,
      '',
    ].join('\n');
    const now = this.clock.now();
    const repo = this.db.repository(MicroblogPromotion);
    const requested: MicroblogPromotion = {
      postId: question.id,
      contentId: question.contentId,
      status: 'requested',
      requestedBy: actor.id,
      requestedAt: now,
      title,
      pageId: null,
      pageUrl: null,
      pageTitle: null,
      promotedAt: null,
      refusedReason: null,
    };
    try {
      await this.db.transaction(async () => {
        const existing = await repo.findOneBy({ postId: question.id });
        if (existing && !this.reopened(existing)) throw this.already(existing);
        if (existing) {
          // A refused promotion may be asked for again; of two such requests one claims the row.
          const claimed = await repo.update(
            { postId: question.id, status: existing.status, requestedAt: existing.requestedAt },
            requested,
          );
          if (!claimed.affected) throw this.already((await repo.findOneBy({ postId: question.id })) ?? existing);
        } else await repo.insert(requested);
        await this.events.publish(wikiPromotionRequested, {
          requestedBy: actor.id,
          title,
          body,
          spaceId: question.spaceId,
          summary: 'Promoted from the microblog',
          origin: { pluginId: ORIGIN, contentId: question.contentId, url: postUrl(question.id), title },
        });
      });
    } catch (error) {
      if (isDuplicate(error)) {
        const winner = await repo.findOneBy({ postId: question.id });
        throw winner ? this.already(winner) : new Conflict('This question is already being promoted to the wiki');
      }
      throw error;
    }
    return requested;
  }

  private already(row: MicroblogPromotion): Conflict {
    const view = this.view(row);
    return new Conflict(
      view.page
        ? `This question is already promoted to the wiki: “${view.page.title}” (${view.page.url})`
        : 'This question is already being promoted to the wiki; the page appears in a moment',
      { promotion: view },
    );
  }

  /** The wiki made a page from one of our questions: remember it, for the link back. */
  @OnEvent(wikiPageCreated, { durable: true })
  async onPageCreated(
    event: DeliveredEvent<WikiPageEventPayload & { origin: WikiPromotionOrigin | null }>,
  ): Promise<void> {
    const { origin } = event.payload;
    if (origin?.pluginId !== ORIGIN || !origin.contentId) return;
    await this.db.repository(MicroblogPromotion).update(
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

  /** The wiki refused: the question may be promoted again, and its page says why it was not. */
  @OnEvent(wikiPromotionRefused, { durable: true })
  async onRefused(event: DeliveredEvent<WikiPromotionRefusal>): Promise<void> {
    const { origin } = event.payload;
    if (origin.pluginId !== ORIGIN || !origin.contentId) return;
    await this.db
      .repository(MicroblogPromotion)
      .update(
        { contentId: origin.contentId, status: 'requested' },
        { status: 'refused', refusedReason: [...event.payload.reason].slice(0, 500).join('') },
      );
  }
}
