import { defineEvent } from './events';
import { DEFINITION_KIND } from './metadata';

/**
 * A kind of user content a plugin owns (a wiki page, a forum post). Declaring it lets core's
 * cross-plugin features (moderation, search, activity) handle the plugin's items.
 *
 * @example
 * ```ts
 * const kudo: ContentTypeDefinition = defineContentType('kudos.kudo', { displayName: 'Kudo', urlPattern: '/kudos/{id}' });
 * ```
 */
export interface ContentTypeDefinition {
  readonly [DEFINITION_KIND]: 'content-type';
  /** `<pluginId>.<noun>`, e.g. `forum.post`. */
  readonly name: string;
  /** The kind of item as people read it (`Forum post`). */
  readonly displayName: string;
  /**
   * Where a person reads one item; `{id}` is replaced by the plugin's item id, `{contentId}` by
   * core's content id.
   */
  readonly urlPattern: string;
  /**
   * The plugin's table that holds one row per item, with the item's id as primary key and a
   * `content_id` column; {@link Contents.urlsOf} reads it to fill `{id}`. Absent: the type's name
   * with the dot made an underscore (`forum.post` → `forum_post`), as the naming grammar has it.
   */
  readonly itemTable?: string;
}

/**
 * Declares a content type. List it in the plugin's `contentTypes`.
 *
 * @example
 * ```ts
 * export const kudoContent = defineContentType('kudos.kudo', { displayName: 'Kudo', urlPattern: '/kudos/{id}' });
 * ```
 */
export function defineContentType(
  name: string,
  options: { displayName: string; urlPattern: string; itemTable?: string },
): ContentTypeDefinition {
  return Object.freeze({
    [DEFINITION_KIND]: 'content-type' as const,
    name,
    displayName: options.displayName,
    urlPattern: options.urlPattern,
    ...(options.itemTable ? { itemTable: options.itemTable } : {}),
  });
}

/**
 * Where an item stands. `pending`: held for review, seen by its author and moderators only.
 * `hidden`: taken out of every listing by a moderator. `deleted`: removed, restorable.
 *
 * @example
 * ```ts
 * const visible: ContentStatus[] = ['published'];
 * ```
 */
export type ContentStatus = 'published' | 'pending' | 'hidden' | 'deleted';

/**
 * Core's record of one item of content.
 *
 * @example
 * ```ts
 * if (record.status === 'pending') flash(`Held for review: ${record.statusReason}`);
 * ```
 */
export interface ContentRecord {
  /** Core's content id (not the plugin's own item id). */
  id: string;
  /** The content type's name, e.g. `forum.post`. */
  type: string;
  /** The plugin that owns the type. */
  pluginId: string;
  /** The space it was posted in, or null for an organisation-wide item. */
  spaceId: string | null;
  /** Who wrote it. */
  authorId: string;
  /** Where it is in moderation: only `published` items are shown to readers. */
  status: ContentStatus;
  /** Its title as stored, after the gates; null for types without one. */
  title: string | null;
  /** Short plain text for lists and notifications. */
  excerpt: string | null;
  /** Why the item is held, hidden or deleted (shown to its author). */
  statusReason: string | null;
  /**
   * Who among those who may see the item's space may read it, as a key of its plugin
   * (`forum:category:42`), or null for everyone there. See {@link Contents.registerAudiences}.
   */
  audience: string | null;
  /** When it was submitted. */
  createdAt: Date;
  /** When it or its status last changed. */
  updatedAt: Date;
  /** When its author last edited it; null if never. */
  editedAt: Date | null;
}

/**
 * What a plugin submits: the item's text as people will read it (Markdown source is fine).
 *
 * @example
 * ```ts
 * const submission: ContentSubmission = { type: kudoContent, authorId: user.id, text: 'Thanks for the review!' };
 * ```
 */
export interface ContentSubmission {
  /** One of the submitting plugin's content types, or its name. */
  type: ContentTypeDefinition | string;
  /** Who wrote it. */
  authorId: string;
  /** The space it is posted in; absent or null for an organisation-wide item. */
  spaceId?: string | null;
  /** Its title, for types that have one. */
  title?: string | null;
  /** Its text as the author wrote it (Markdown for most types); gates read and may change it. */
  text: string;
  /** Short plain text for lists and notifications; derived from `text` when absent. */
  excerpt?: string | null;
  /**
   * Narrows who may read the item within its space: a key of the submitting plugin
   * (`<pluginId>:…`), see {@link Contents.registerAudiences}. Absent or null: all who see the space.
   */
  audience?: string | null;
}

/**
 * What a gate sees: the submission, plus the item's id and plugin when it is an edit.
 *
 * @example
 * ```ts
 * const check = (input: GateInput) => (input.text.includes('layoffs') ? hold('sensitive topic') : publish());
 * ```
 */
export interface GateInput extends Omit<ContentSubmission, 'type'> {
  /** The content type's name, e.g. `forum.post`. */
  type: string;
  /** The plugin that submits it. */
  pluginId: string;
  /** Null for a new item. */
  contentId: string | null;
  /**
   * The id of the item's core record: for an edit, `contentId`; for a new item, the id it will
   * have once stored (nothing is stored under it while gates run). A gate that writes its own
   * rows about the item (a review queue entry) keys them by it, in the submitting transaction.
   */
  recordId?: string;
}

/**
 * A gate's answer. `publish` may carry changed text (a censored word replaced); `hold` keeps the
 * item pending with the reason shown to its author; `reject` refuses it with a 422 naming the reason.
 *
 * @example
 * ```ts
 * const decision: GateDecision = { action: 'hold', reason: 'Posts about the reorganisation are reviewed first' };
 * ```
 */
export type GateDecision =
  | { action: 'publish'; text?: string; title?: string | null }
  | { action: 'hold'; reason: string }
  | { action: 'reject'; reason: string };

/**
 * A synchronous check every submission and edit passes through (the moderation plugin registers
 * one). Gates run in registration order; the first `reject` or `hold` decides; censored text
 * from one gate is what the next one sees.
 *
 * @example
 * ```ts
 * contents.registerGate({ name: 'no-shouting', check: (i) => (i.text === i.text.toUpperCase() ? { action: 'reject', reason: 'Please do not shout' } : { action: 'publish' }) });
 * ```
 */
export interface ContentGate {
  /** A name for the gate, such as `'no-shouting'`, that tells it apart from other plugins' gates. */
  name: string;
  /** Decides on one submission or edit; the first `reject` or `hold` stops the chain. */
  check(input: GateInput): Promise<GateDecision> | GateDecision;
}

/**
 * The result of a submission or edit: the record, and the text and title to store (a gate may
 * have changed them).
 *
 * @example
 * ```ts
 * const { record, text } = await contents.submit({ type: kudoContent, authorId, text: message });
 * ```
 */
export interface SubmittedContent {
  /** The stored record, with its id and the status the gates gave it. */
  record: ContentRecord;
  /** The text to store in the plugin's own table: as submitted, or as a gate changed it. */
  text: string;
  /** The title to store, likewise. */
  title: string | null;
}

/**
 * The condition that keeps out what a user may not see, applied to a plugin's own query.
 *
 * @example
 * ```ts
 * const qb = db.repository(Kudo).createQueryBuilder('k');
 * contents.visibleTo(user).applyTo(qb, 'k.contentId');
 * ```
 */
export interface ContentVisibility {
  /**
   * Adds `INNER JOIN core_content <alias>` on `contentIdColumn` and the visibility condition.
   *
   * @example
   * ```ts
   * contents.visibleTo(user).applyTo(qb, 'post.contentId', 'content');
   * ```
   */
  applyTo<Q extends import('typeorm').SelectQueryBuilder<any>>(qb: Q, contentIdColumn: string, alias?: string): Q;
}

/**
 * Options of {@link Contents.visibleTo}.
 *
 * @example
 * ```ts
 * const visibility = await contents.visibleTo(user, { audiences: true });
 * ```
 */
export interface VisibilityOptions {
  /**
   * Also keep out items whose audience (see {@link Contents.registerAudiences}) the user is not in.
   * Lists that span plugins (search, the activity stream) need it; a plugin's list of its own items
   * usually applies its own finer rules already.
   */
  audiences?: boolean;
}

/**
 * The audiences of one plugin that a person is in (see {@link Contents.registerAudiences}):
 * keys such as `forum:category:42`, each starting with the plugin's id and a colon.
 *
 * @example
 * ```ts
 * const resolver: AudienceResolver = async (viewer) => (await readableCategories(viewer)).map((c) => `forum:category:${c.id}`);
 * ```
 */
export type AudienceResolver = (viewer: import('./users').UserRef | null) => Promise<readonly string[]>;

/**
 * One item as {@link Contents.scan} reads it: the record and its search text (title and text as
 * submitted, after the gates).
 *
 * @example
 * ```ts
 * for await (const item of contents.scan({ since })) if (item.text.includes('layoffs')) hits.push(item.id);
 * ```
 */
export interface ScannedContent extends ContentRecord {
  /** The search text: title and text as submitted, after the gates. */
  text: string;
}

/**
 * What {@link Contents.scan} reads: items created since `since` (and before `until`), in one space
 * or everywhere, in the given states.
 *
 * @example
 * ```ts
 * const options: ContentScanOptions = { since: new Date(Date.now() - 90 * 86_400_000), statuses: ['published'] };
 * ```
 */
export interface ContentScanOptions {
  /** Items created at or after this time. */
  since: Date;
  /** Items created before this time; absent for up to now. */
  until?: Date;
  /** A space id, `null` for organisation-wide items only; absent for every item. */
  spaceId?: string | null;
  /** Default: every status. */
  statuses?: ContentStatus[];
  /** Rows read per query (default 500, at most 2,000). */
  batchSize?: number;
}

/**
 * The payload of every `content.*` event.
 *
 * @example
 * ```ts
 * @OnEvent(contentEvents.published, { durable: true })
 * index(event: DeliveredEvent<ContentEventPayload>) { ... }
 * ```
 */
export interface ContentEventPayload {
  /** Core's content id of the item. */
  contentId: string;
  /** The content type's name, e.g. `forum.post`. */
  type: string;
  /** The plugin that owns the type. */
  pluginId: string;
  /** The item's space, or null for an organisation-wide item. */
  spaceId: string | null;
  /** Who wrote the item. */
  authorId: string;
  /** The item's status after the change. */
  status: ContentStatus;
  /** Why it was held, hidden or deleted, when a reason was given. */
  reason: string | null;
  /** Who made the change, or null when no person did. */
  actorId: string | null;
}

/**
 * Events core publishes as content changes state.
 *
 * @example
 * ```ts
 * @OnEvent(contentEvents.hidden)
 * onHidden(event: DeliveredEvent<ContentEventPayload>) { ... }
 * ```
 */
export const contentEvents = {
  published: defineEvent<ContentEventPayload>('content.published', { description: 'An item became visible' }),
  held: defineEvent<ContentEventPayload>('content.held', { description: 'An item was held for review' }),
  hidden: defineEvent<ContentEventPayload>('content.hidden', { description: 'A moderator hid an item' }),
  deleted: defineEvent<ContentEventPayload>('content.deleted', { description: 'An item was deleted' }),
  restored: defineEvent<ContentEventPayload>('content.restored', { description: 'A hidden or deleted item was published again' }),
  edited: defineEvent<ContentEventPayload>('content.edited', { description: 'An item was edited' }),
};

/**
 * The content contract (DESIGN.md §5): plugins create and change their items through it, and add
 * {@link Contents.visibleTo} to their listings.
 *
 * @example
 * ```ts
 * constructor(private readonly contents: Contents) {}
 * const { record, text } = await this.contents.submit({ type: kudoContent, authorId: user.id, text: message });
 * ```
 */
export abstract class Contents {
  /**
   * Runs the gates and records a new item: `published`, or `pending` when a gate holds it.
   * A rejecting gate throws a 422 naming `text` and the reason. Call it inside the transaction
   * that stores the plugin's own row.
   *
   * @example
   * ```ts
   * const { record, text } = await contents.submit({ type: kudoContent, authorId, text: message });
   * ```
   */
  abstract submit(submission: ContentSubmission): Promise<SubmittedContent>;

  /**
   * Resubmits changed text through the gates and stamps the edit time; an edit a gate holds turns
   * a published item pending.
   *
   * @example
   * ```ts
   * const { text } = await contents.edit(kudo.contentId, { editorId: user.id, text: newMessage });
   * ```
   */
  abstract edit(contentId: string, change: { editorId: string; text: string; title?: string | null; excerpt?: string | null }): Promise<SubmittedContent>;

  /**
   * Moves an item to another status (hide, delete, restore, approve) with the reason its author
   * is shown, and publishes the matching `content.*` event.
   *
   * @example
   * ```ts
   * await contents.setStatus(id, 'hidden', { actorId: moderator.id, reason: 'Personal data' });
   * ```
   */
  abstract setStatus(contentId: string, status: ContentStatus, by: { actorId: string | null; reason?: string | null }): Promise<ContentRecord>;

  /**
   * One record, whatever its status, or null.
   *
   * @example
   * ```ts
   * const record = await contents.get(kudo.contentId);
   * ```
   */
  abstract get(contentId: string): Promise<ContentRecord | null>;

  /**
   * Many records in one query, keyed by id (for a page of a plugin's items).
   *
   * @example
   * ```ts
   * const records = await contents.getMany(page.map((k) => k.contentId));
   * records.get(page[0].contentId)?.status;
   * ```
   */
  abstract getMany(contentIds: readonly string[]): Promise<Map<string, ContentRecord>>;

  /**
   * One record if `user` may see it; otherwise a 404 (never a 403: its existence is not revealed).
   *
   * @example
   * ```ts
   * const record = await contents.getVisible(user, kudo.contentId);
   * ```
   */
  abstract getVisible(user: { id: string } | null, contentId: string): Promise<ContentRecord>;

  /**
   * The condition for `user`'s listings: published items in spaces they may see, plus their own
   * pending items (and, for moderators in scope, everyone's pending items). Hidden and deleted
   * items appear in no listing.
   *
   * @example
   * ```ts
   * contents.visibleTo(user).applyTo(qb, 'k.contentId');
   * ```
   */
  abstract visibleTo(user: { id: string } | null, options?: VisibilityOptions): Promise<ContentVisibility>;

  /**
   * Moves items of this plugin to another audience (or to none: everyone who sees the space), e.g.
   * the posts of a topic moved to another category. Keys must start with the plugin's id and a
   * colon. Lists and search read the audience when they run, so nothing needs reindexing.
   *
   * @example
   * ```ts
   * await contents.setAudience(postContentIds, `forum:category:${target.id}`);
   * ```
   */
  abstract setAudience(contentIds: readonly string[], audience: string | null): Promise<void>;

  /**
   * Registers how this plugin tells which of its audiences a person is in. Core asks it when a
   * list spans plugins (search, the activity stream, digests) and when another plugin checks one
   * of this plugin's items with {@link Contents.getVisible}: an item with an audience is shown only
   * to those in it (moderators who may review the item's space see it regardless). For its own
   * items a plugin applies its finer rules itself, so its own `getVisible` does not ask. The resolver runs once per such request;
   * keep it to one cheap query. A disabled plugin's resolver is not asked, and its items are not
   * listed then anyway.
   *
   * @example
   * ```ts
   * contents.registerAudiences(async (viewer) => (await this.categories.readableBy(viewer)).map((c) => `forum:category:${c.id}`));
   * ```
   */
  abstract registerAudiences(resolver: AudienceResolver): void;

  /**
   * Where a person reads each item: its content type's `urlPattern` with the plugin's item id
   * (looked up in the type's `itemTable`, one query per type) or the content id filled in. Items
   * whose type or row is unknown are absent from the map. No visibility check: the link is only
   * an address. Pass the records when the caller has them already (one query fewer).
   *
   * @example
   * ```ts
   * const records = await contents.getMany(page.map((i) => i.contentId));
   * const urls = await contents.urlsOf(page.map((i) => i.contentId), records);
   * urls.get(page[0].contentId); // '/wiki/p/8f1…'
   * ```
   */
  abstract urlsOf(contentIds: readonly string[], records?: ReadonlyMap<string, ContentRecord>): Promise<Map<string, string>>;

  /**
   * A content type any plugin declared, by name, or null.
   *
   * @example
   * ```ts
   * contents.typeOf('forum.post')?.displayName; // 'Forum post'
   * ```
   */
  abstract typeOf(name: string): ContentTypeDefinition | null;

  /**
   * How many items `authorId` has (in `statuses`, default all). With `upTo`, counting stops there:
   * cheap when the question is only "at least N?".
   *
   * @example
   * ```ts
   * const approved = await contents.countByAuthor(user.id, { statuses: ['published'], upTo: 3 });
   * if (approved < 3) return { action: 'hold', reason: 'Your first posts are reviewed' };
   * ```
   */
  abstract countByAuthor(authorId: string, options?: { statuses?: ContentStatus[]; upTo?: number }): Promise<number>;

  /**
   * Reads recent items with their search text in batches, newest first within each status (e.g. to
   * show what a new watched word would have matched). Each batch is one keyset query on core's
   * indexes; stop early by breaking out of the loop.
   *
   * @example
   * ```ts
   * for await (const item of contents.scan({ since: new Date(Date.now() - 90 * 86_400_000) })) {
   *   if (/reorgani[sz]ation/i.test(item.text)) matched.push(item);
   * }
   * ```
   */
  abstract scan(options: ContentScanOptions): AsyncIterable<ScannedContent>;

  /**
   * Registers a gate every later submission and edit passes through.
   *
   * @example
   * ```ts
   * lifecycle: { init: (ctx) => ctx.get(Contents).registerGate(ctx.get(WatchedWordsGate)) }
   * ```
   */
  abstract registerGate(gate: ContentGate): void;
}
