import { defineContentType, defineEvent, defineJob } from '@plein/sdk';

/** A wiki page is content: gates, moderation, search and the activity stream handle it. */
export const wikiPageContent = defineContentType('wiki.page', { displayName: 'Wiki page', urlPattern: '/wiki/p/{id}' });

/** What every `wiki.page.*` event says about the page. */
export interface WikiPageEventPayload {
  pageId: string;
  contentId: string;
  /** Null for organisation-wide pages. */
  spaceId: string | null;
  title: string;
  /** The page's address, e.g. `/wiki/engineering/handbook/onboarding`. */
  url: string;
  revision: number;
  actorId: string;
}

/** A page was created (also by a promotion request: `origin` then names it). */
export const wikiPageCreated = defineEvent<
  WikiPageEventPayload & { parentId: string | null; origin: WikiPromotionOrigin | null }
>('wiki.page.created', {
  description: 'A wiki page was created',
});

/** A save made a new revision (an edit, or a restore of an old revision). */
export const wikiPageUpdated = defineEvent<
  WikiPageEventPayload & { previousRevision: number; summary: string; status: 'published' | 'pending' }
>('wiki.page.updated', {
  description: 'A wiki page was edited',
});

/** A page moved to another parent, or its slug changed; `oldUrl` now redirects to `url`. */
export const wikiPageMoved = defineEvent<WikiPageEventPayload & { oldUrl: string; parentId: string | null }>(
  'wiki.page.moved',
  {
    description: 'A wiki page moved or was renamed',
  },
);

/** A page (and the pages under it) was soft-deleted. */
export const wikiPageDeleted = defineEvent<WikiPageEventPayload & { pageIds: string[] }>('wiki.page.deleted', {
  description: 'A wiki page was deleted',
});

/** A deleted page (and the pages deleted with it) came back. */
export const wikiPageRestored = defineEvent<WikiPageEventPayload & { pageIds: string[] }>('wiki.page.restored', {
  description: 'A deleted wiki page was restored',
});

/** Where a promoted page came from, so the requesting plugin can link back. */
export interface WikiPromotionOrigin {
  /** The plugin asking, e.g. `forum`. */
  pluginId: string;
  /** The content promoted, e.g. a forum topic's content id. */
  contentId?: string | null;
  /**
   * A link back to it, a path on this intranet, e.g. `/forum/t/42`. The page shows it under
   * "Promoted from" (anything but a path starting with one `/` is not shown).
   */
  url?: string | null;
  /** The text of that link, e.g. the topic's title (at most 200 characters are kept). */
  title?: string | null;
}

/**
 * The extension point for "promote to wiki": another plugin publishes this event (import it from
 * `@plein/plugin-wiki`), and the wiki creates the page as `requestedBy`, through the gates, once
 * per event id; it then publishes `wiki.page.created` with the same `origin`.
 */
export interface WikiPromotionRequest {
  requestedBy: string;
  title: string;
  /** Markdown. */
  body: string;
  /** A space id or slug; absent for an organisation-wide page. */
  spaceId?: string | null;
  parentId?: string | null;
  summary?: string | null;
  origin: WikiPromotionOrigin;
}

export const wikiPromotionRequested = defineEvent<WikiPromotionRequest>('wiki.promotion.requested', {
  description: 'Another plugin asks the wiki to make a page from its content',
});

/**
 * The wiki did not make the page a promotion asked for: the requester may not create pages there,
 * a gate rejected the text, the title or body is not acceptable, or the user is gone. `origin` is
 * the request's, so the requesting plugin can offer the action again.
 */
export interface WikiPromotionRefusal {
  requestedBy: string;
  origin: WikiPromotionOrigin;
  /** The HTTP status the same request would have answered (403, 404, 409, 422). */
  status: number;
  /** Why, in English (the problem's `detail`). */
  reason: string;
  /** Field problems, when the refusal was about the title or body. */
  errors?: Array<{ field: string; message: string }>;
}

export const wikiPromotionRefused = defineEvent<WikiPromotionRefusal>('wiki.promotion.refused', {
  description: 'The wiki refused to make a page a promotion asked for',
});

/** Re-renders pages whose `[[links]]` pointed at a title that now exists (or exists no more). */
export const refreshWikiLinks = defineJob<{ spaceKey: string; keys: string[] }>('wiki.refresh-links', {
  description: 'Re-render pages whose wiki links changed target',
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
});
