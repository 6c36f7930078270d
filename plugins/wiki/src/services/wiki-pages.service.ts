import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Audit,
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  Jobs,
  Settings,
  Users,
  extractMentions,
  type ContentStatus,
} from '@plein/sdk';
import { In, IsNull, QueryFailedError } from 'typeorm';
import { WikiAlias } from '../entities/wiki-alias.entity';
import { WikiLink } from '../entities/wiki-link.entity';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { WikiRevision } from '../entities/wiki-revision.entity';
import { WikiTreeLock } from '../entities/wiki-tree-lock.entity';
import { WikiWatch } from '../entities/wiki-watch.entity';
import {
  refreshWikiLinks,
  wikiPageContent,
  wikiPageCreated,
  wikiPageDeleted,
  wikiPageMoved,
  wikiPageRestored,
  wikiPageUpdated,
  type WikiPromotionOrigin,
} from '../events';
import { wikiPermissions } from '../permissions';
import type { WikiSettings } from '../settings';
import { WikiAccessService, type Viewer } from './wiki-access.service';
import {
  checkBody,
  checkSlug,
  checkSummary,
  checkTitle,
  invalid,
  isWithin,
  MAX_PATH,
  pageUrl,
  slugify,
  titleKey,
  WIKI_MESSAGES,
} from './wiki-names';
import { WikiMentionsService } from './wiki-mentions.service';
import { WikiRenderService, type RenderedPage } from './wiki-render.service';
import { WikiWatchService } from './wiki-watch.service';

export interface CreatePageInput {
  title: string;
  body?: string | null;
  /** A space id or slug; absent: the parent's space, or organisation-wide. */
  spaceId?: string | null;
  parentId?: string | null;
  slug?: string | null;
  summary?: string | null;
  /** Start from this template page's body (when `body` is empty). */
  templateId?: string | null;
}

export interface UpdatePageInput {
  title?: string | null;
  body?: string | null;
  slug?: string | null;
  summary?: string | null;
  baseRevision: number;
}

/** Thrown inside the save transaction when the conditional update found another revision. */
class StaleRevision extends Error {}

const isDuplicate = (error: unknown) =>
  error instanceof QueryFailedError &&
  /ER_DUP_ENTRY|UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(
    `${(error as { code?: string }).code ?? ''} ${error.message}`,
  );

/** The origin of a promoted page as stored: a link back only when it is a path on this intranet. */
function originColumns(origin: WikiPromotionOrigin | undefined) {
  if (!origin) return { originPlugin: null, originContentId: null, originUrl: null, originTitle: null };
  // eslint-disable-next-line no-control-regex -- control characters are what is taken out of the title
  const control = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
  const url = typeof origin.url === 'string' ? origin.url : '';
  const local = url.length <= 500 && /^\/(?![/\\])[^\s\\]*$/.test(url);
  const title =
    typeof origin.title === 'string'
      ? [...origin.title.replace(control, ' ').trim()].slice(0, 200).join('')
      : '';
  const contentId = typeof origin.contentId === 'string' && origin.contentId.length <= 36 ? origin.contentId : null;
  return {
    originPlugin: String(origin.pluginId ?? '').slice(0, 50) || null,
    originContentId: contentId,
    originUrl: local ? url : null,
    originTitle: title || null,
  };
}

/**
 * Writing pages: create, save (one revision per save, no lost updates), move, delete and restore.
 * Every write goes through the content contract (gates on create and edit, status changes through
 * Contents.setStatus) inside one transaction with the plugin's own rows, so events, jobs and
 * notifications leave only after the commit.
 */
@Injectable()
export class WikiPagesService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly events: EventBus,
    private readonly jobs: Jobs,
    private readonly clock: Clock,
    private readonly settings: Settings,
    private readonly access: WikiAccessService,
    private readonly renderer: WikiRenderService,
    private readonly watches: WikiWatchService,
    private readonly mentions: WikiMentionsService,
    private readonly users: Users,
    private readonly audit: Audit,
  ) {}

  private async bodyLimit(): Promise<number> {
    return (await this.settings.get<WikiSettings>()).maxBodyBytes;
  }

  // ----- create

  async create(
    viewer: Viewer & { id: string },
    input: CreatePageInput,
    origin: { origin?: WikiPromotionOrigin; eventId?: string } = {},
  ): Promise<WikiPage> {
    const title = checkTitle(input.title ?? '');
    const summary = checkSummary(input.summary);
    const explicitSlug = input.slug ? checkSlug(input.slug) : null;
    let { spaceKey } = input.spaceId
      ? await this.access.spaceKeyOf(viewer, input.spaceId)
      : { spaceKey: null as string | null };
    const parent = input.parentId ? await this.access.parent(viewer, input.parentId, spaceKey) : null;
    spaceKey ??= parent?.spaceKey ?? ORG_SPACE_KEY;
    await this.access.assertInSpace(viewer, wikiPermissions.create, spaceKey);
    let body = input.body ?? '';
    if (input.templateId) {
      const template = await this.template(viewer, input.templateId, spaceKey);
      if (!body.trim()) body = template.body;
    }
    checkBody(body, await this.bodyLimit());
    const { watchOwnPages } = await this.settings.get<WikiSettings>();
    await this.ensureTreeLockRow(spaceKey);
    const spaceKeyFinal = spaceKey;
    try {
      return await this.db.transaction(async () => {
        await this.lockTree(spaceKeyFinal);
        const slug = explicitSlug ?? slugify(title);
        const path = await this.freePath(spaceKeyFinal, parent ? `${parent.path}/` : '', slug, explicitSlug !== null);
        const submitted = await this.contents.submit({
          type: wikiPageContent,
          authorId: viewer.id,
          spaceId: this.access.spaceIdOf({ spaceKey: spaceKeyFinal }),
          title,
          text: body,
        });
        const finalTitle = checkTitle(submitted.title ?? title);
        const rendered = await this.renderer.render(spaceKeyFinal, submitted.text);
        const now = this.clock.now();
        const page: WikiPage = {
          id: randomUUID(),
          contentId: submitted.record.id,
          spaceKey: spaceKeyFinal,
          parentId: parent?.id ?? null,
          slug: path.split('/').pop()!,
          path,
          title: finalTitle,
          titleKey: titleKey(finalTitle),
          body: submitted.text,
          html: rendered.html,
          toc: JSON.stringify(rendered.headings),
          revision: 1,
          publishedRevision: submitted.record.status === 'published' ? 1 : null,
          size: Buffer.byteLength(submitted.text, 'utf8'),
          isTemplate: false,
          authorId: viewer.id,
          editorId: viewer.id,
          createdAt: now,
          updatedAt: now,
          deletedAt: null,
          deletedWith: null,
          originEventId: origin.eventId ?? null,
          ...originColumns(origin.origin),
        };
        await this.db.repository(WikiPage).insert(page);
        await this.insertRevision(page, rendered, summary, null);
        await this.replaceLinks(page, rendered);
        // A live page at a path or with a title wins over an alias of another page.
        await this.db.repository(WikiAlias).delete({ spaceKey: spaceKeyFinal, kind: 'path', key: path });
        if (watchOwnPages)
          await this.db
            .repository(WikiWatch)
            .insert({ userId: viewer.id, pageId: page.id, subtree: false, createdAt: now });
        const url = pageUrl(await this.renderer.spaceSlug(spaceKeyFinal), path);
        await this.events.publish(wikiPageCreated, {
          pageId: page.id,
          contentId: page.contentId,
          spaceId: this.access.spaceIdOf(page),
          title: page.title,
          url,
          revision: 1,
          actorId: viewer.id,
          parentId: page.parentId,
          origin: origin.origin ?? null,
        });
        if (submitted.record.status === 'published')
          await this.mentions.notifyAdded(page, url, rendered.mentions, null, viewer);
        await this.refreshLinksTo(spaceKeyFinal, [page.titleKey]);
        return page;
      });
    } catch (error) {
      if (isDuplicate(error))
        throw new Conflict('Another page was created at this path at the same moment; try again', {
          errors: [{ field: 'slug', message: WIKI_MESSAGES.slugTaken }],
        });
      throw error;
    }
  }

  /** A template page the viewer may use in `spaceKey` (its own space's, or organisation-wide ones). */
  async template(viewer: Viewer, id: string, spaceKey: string): Promise<WikiPage> {
    try {
      const { page, view } = await this.access.read(viewer, id);
      if (
        page.isTemplate &&
        view === 'current' &&
        !page.deletedAt &&
        (page.spaceKey === spaceKey || page.spaceKey === ORG_SPACE_KEY)
      )
        return page;
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    throw invalid('templateId', WIKI_MESSAGES.templateUnknown);
  }

  // ----- save

  /**
   * Saves a new revision. The check that `baseRevision` is still current and the write are one
   * conditional UPDATE (`… WHERE id = ? AND revision = ?`) inside the transaction: of two saves
   * from the same base, exactly one matches a row; the other answers 409 with both texts.
   */
  async update(
    viewer: Viewer & { id: string },
    id: string,
    input: UpdatePageInput,
    restoredFrom: number | null = null,
  ): Promise<WikiPage> {
    const access = await this.access.read(viewer, id);
    const { page } = access;
    if (access.view !== 'current')
      throw new Conflict(
        'A change to this page is waiting for review; it can be edited again once a moderator has decided',
        { pendingReview: true },
      );
    if (access.record.status === 'deleted' || page.deletedAt)
      throw new Conflict('This page is deleted: restore it before editing it');
    await this.access.assert(viewer, wikiPermissions.edit, page);
    const title = input.title === undefined || input.title === null ? page.title : checkTitle(input.title);
    const body = input.body === undefined || input.body === null ? page.body : input.body;
    checkBody(body, await this.bodyLimit());
    const summary = checkSummary(input.summary);
    const explicitSlug = input.slug ? checkSlug(input.slug) : null;
    if (input.baseRevision !== page.revision)
      throw this.conflict(page, { title, body, baseRevision: input.baseRevision });
    // A new title makes a new slug, unless the page's slug was chosen by hand rather than derived.
    const derived = slugify(page.title);
    const slugFollowsTitle = page.slug === derived || new RegExp(`^${derived}-\\d+$`).test(page.slug);
    const slug = explicitSlug ?? (title !== page.title && slugFollowsTitle ? slugify(title) : page.slug);
    const renaming = slug !== page.slug;
    if (title === page.title && body === page.body && !renaming) return page;
    if (renaming) await this.ensureTreeLockRow(page.spaceKey);
    try {
      return await this.db.transaction(async () => {
        if (renaming) await this.lockTree(page.spaceKey);
        const now = this.clock.now();
        const next = input.baseRevision + 1;
        const claimed = await this.db
          .repository(WikiPage)
          .createQueryBuilder()
          .update(WikiPage)
          .set({ revision: next, editorId: viewer.id, updatedAt: now })
          .where('id = :id AND revision = :base', { id: page.id, base: input.baseRevision })
          .execute();
        if (claimed.affected !== 1) throw new StaleRevision();
        const edited = await this.contents.edit(page.contentId, { editorId: viewer.id, text: body, title });
        const finalTitle = checkTitle(edited.title ?? title);
        const rendered = await this.renderer.render(page.spaceKey, edited.text);
        const saved: WikiPage = {
          ...page,
          revision: next,
          editorId: viewer.id,
          updatedAt: now,
          title: finalTitle,
          titleKey: titleKey(finalTitle),
          body: edited.text,
          html: rendered.html,
          toc: JSON.stringify(rendered.headings),
          size: Buffer.byteLength(edited.text, 'utf8'),
          publishedRevision: edited.record.status === 'published' ? next : page.publishedRevision,
        };
        await this.db
          .repository(WikiPage)
          .update(
            { id: page.id },
            {
              title: saved.title,
              titleKey: saved.titleKey,
              body: saved.body,
              html: saved.html,
              toc: saved.toc,
              size: saved.size,
              publishedRevision: saved.publishedRevision,
            },
          );
        await this.insertRevision(
          saved,
          rendered,
          summary || (restoredFrom ? `Restored revision ${restoredFrom}` : ''),
          restoredFrom,
        );
        await this.replaceLinks(saved, rendered);
        if (saved.titleKey !== page.titleKey) {
          // `[[Old title]]` keeps finding the page; `[[New title]]` links elsewhere now resolve.
          await this.setAlias(page.spaceKey, 'title', page.titleKey, page.id);
          await this.db.repository(WikiAlias).delete({ spaceKey: page.spaceKey, kind: 'title', key: saved.titleKey });
          await this.refreshLinksTo(page.spaceKey, [saved.titleKey]);
        }
        const spaceSlug = await this.renderer.spaceSlug(page.spaceKey);
        if (renaming) {
          const parentPath = page.path.includes('/') ? page.path.slice(0, page.path.lastIndexOf('/') + 1) : '';
          const path = await this.freePath(page.spaceKey, parentPath, slug, explicitSlug !== null, page.id);
          await this.repath(saved, path);
          await this.events.publish(wikiPageMoved, {
            ...this.payload(saved, pageUrl(spaceSlug, path), viewer.id),
            oldUrl: pageUrl(spaceSlug, page.path),
            parentId: saved.parentId,
          });
        }
        const url = pageUrl(spaceSlug, saved.path);
        const status = edited.record.status === 'pending' ? 'pending' : 'published';
        await this.events.publish(wikiPageUpdated, {
          ...this.payload(saved, url, viewer.id),
          previousRevision: input.baseRevision,
          summary,
          status,
        });
        if (status === 'published') {
          const before = await this.mentions.previouslyPublishedBody(page);
          const told = await this.mentions.notifyAdded(saved, url, rendered.mentions, before, viewer);
          await this.watches.notifyChange(saved, viewer, input.baseRevision, told);
        }
        return saved;
      });
    } catch (error) {
      if (error instanceof StaleRevision)
        throw this.conflict(await this.access.page(page.id), { title, body, baseRevision: input.baseRevision });
      if (isDuplicate(error))
        throw new Conflict('Another page took this path at the same moment; try again', {
          errors: [{ field: 'slug', message: WIKI_MESSAGES.slugTaken }],
        });
      throw error;
    }
  }

  /** The 409 of a stale save: the current text and revision, and the text that was sent. */
  private conflict(current: WikiPage, yours: { title: string; body: string; baseRevision: number }): Conflict {
    return new Conflict(
      `The page changed since revision ${yours.baseRevision}: it is at revision ${current.revision} now. Merge your text into the current one and save again with baseRevision ${current.revision}.`,
      {
        current: {
          revision: current.revision,
          title: current.title,
          body: current.body,
          editorId: current.editorId,
          updatedAt: current.updatedAt.toISOString(),
        },
        yours,
      },
    );
  }

  // ----- move, rename

  /** Moves a page (and everything under it) to another parent in its space, or to the top. */
  async move(viewer: Viewer & { id: string }, id: string, parentId: string | null): Promise<WikiPage> {
    const access = await this.access.read(viewer, id);
    const { page } = access;
    if (page.deletedAt) throw new Conflict('This page is deleted: restore it before moving it');
    await this.access.assert(viewer, wikiPermissions.edit, page);
    if (parentId === page.id)
      throw new Conflict('A page cannot be its own parent', {
        errors: [{ field: 'parentId', message: 'would make a cycle' }],
      });
    if (parentId) await this.access.parent(viewer, parentId, page.spaceKey);
    await this.ensureTreeLockRow(page.spaceKey);
    try {
      return await this.db.transaction(async () => {
        await this.lockTree(page.spaceKey);
        // Read again under the lock: a concurrent move may have changed either path.
        const fresh = await this.access.page(page.id);
        const parent = parentId ? await this.db.repository(WikiPage).findOneBy({ id: parentId }) : null;
        if (parentId && (!parent || parent.deletedAt)) throw invalid('parentId', WIKI_MESSAGES.parentUnknown);
        if (parent && isWithin(parent.path, fresh.path)) {
          throw new Conflict(
            `Moving '${fresh.title}' under '${parent.title}' would make a cycle: '${parent.title}' is inside it`,
            { errors: [{ field: 'parentId', message: 'would make a cycle' }] },
          );
        }
        if ((parent?.id ?? null) === fresh.parentId) return fresh;
        const path = await this.freePath(fresh.spaceKey, parent ? `${parent.path}/` : '', fresh.slug, true, fresh.id);
        await this.db.repository(WikiPage).update({ id: fresh.id }, { parentId: parent?.id ?? null });
        const moved = { ...fresh, parentId: parent?.id ?? null };
        await this.repath(moved, path);
        const spaceSlug = await this.renderer.spaceSlug(fresh.spaceKey);
        await this.events.publish(wikiPageMoved, {
          ...this.payload(moved, pageUrl(spaceSlug, path), viewer.id),
          oldUrl: pageUrl(spaceSlug, fresh.path),
          parentId: moved.parentId,
        });
        await this.audit.record({
          action: 'wiki.page.moved',
          subject: `wiki-page:${fresh.id}`,
          actorId: viewer.id,
          details: { from: fresh.path, to: path },
        });
        return { ...moved, path };
      });
    } catch (error) {
      if (isDuplicate(error))
        throw new Conflict('Another page took this path at the same moment; try again', {
          errors: [{ field: 'parentId', message: WIKI_MESSAGES.slugTaken }],
        });
      throw error;
    }
  }

  /**
   * A free path `<parentPath><slug>`: taken by a page other than `self`, an explicit slug is a 409;
   * a slug made from the title gets a number (`faq-2`).
   */
  private async freePath(
    spaceKey: string,
    parentPath: string,
    slug: string,
    explicit: boolean,
    self: string | null = null,
  ): Promise<string> {
    const repo = this.db.repository(WikiPage);
    for (let n = 1; n < 1000; n++) {
      const candidate = `${parentPath}${n === 1 ? slug : `${slug.slice(0, 95)}-${n}`}`;
      if (candidate.length > MAX_PATH) throw invalid(explicit ? 'slug' : 'title', WIKI_MESSAGES.tooDeep);
      const taken = await repo.findOne({ select: { id: true, deletedAt: true }, where: { spaceKey, path: candidate } });
      if (!taken || taken.id === self) return candidate;
      if (explicit) {
        throw new Conflict(
          taken.deletedAt
            ? `A deleted page has the path '${candidate}': restore it, or choose another slug`
            : `Another page already has the path '${candidate}'`,
          {
            errors: [{ field: 'slug', message: WIKI_MESSAGES.slugTaken }],
          },
        );
      }
    }
    throw invalid('slug', WIKI_MESSAGES.slugTaken);
  }

  /** Gives a page a new path; its descendants follow, and every old path becomes a redirect. */
  private async repath(page: WikiPage, path: string): Promise<void> {
    if (page.path === path) return;
    const repo = this.db.repository(WikiPage);
    const subtree = await repo
      .createQueryBuilder('p')
      .select(['p.id', 'p.path'])
      .where('p.space_key = :key AND (p.path = :path OR p.path LIKE :prefix)', {
        key: page.spaceKey,
        path: page.path,
        prefix: `${page.path}/%`,
      })
      .getMany();
    const longest = Math.max(...subtree.map((p) => path.length + p.path.length - page.path.length));
    if (longest > MAX_PATH) throw invalid('parentId', WIKI_MESSAGES.tooDeep);
    for (const p of subtree) {
      const next = path + p.path.slice(page.path.length);
      await repo.update({ id: p.id }, { path: next, slug: next.split('/').pop()! });
      await this.setAlias(page.spaceKey, 'path', p.path, p.id);
      await this.db.repository(WikiAlias).delete({ spaceKey: page.spaceKey, kind: 'path', key: next });
    }
    page.path = path;
    page.slug = path.split('/').pop()!;
  }

  private async setAlias(spaceKey: string, kind: 'path' | 'title', key: string, pageId: string): Promise<void> {
    const aliases = this.db.repository(WikiAlias);
    await aliases.delete({ spaceKey, kind, key });
    await aliases.insert({ spaceKey, kind, key, pageId, createdAt: this.clock.now() });
  }

  // ----- delete, restore

  /** Soft-deletes a page and the pages under it (each through Contents.setStatus). */
  async delete(viewer: Viewer & { id: string }, id: string, reason: string | null = null): Promise<WikiPage[]> {
    const { page } = await this.access.read(viewer, id);
    await this.access.assert(viewer, wikiPermissions.delete, page);
    if (page.deletedAt) return [];
    return this.db.transaction(async () => {
      const now = this.clock.now();
      const subtree = await this.db
        .repository(WikiPage)
        .createQueryBuilder('p')
        .where('p.space_key = :key AND (p.path = :path OR p.path LIKE :prefix) AND p.deleted_at IS NULL', {
          key: page.spaceKey,
          path: page.path,
          prefix: `${page.path}/%`,
        })
        .getMany();
      for (const p of subtree) {
        await this.contents.setStatus(p.contentId, 'deleted', { actorId: viewer.id, reason });
        await this.db.repository(WikiPage).update({ id: p.id }, { deletedAt: now, deletedWith: page.id });
      }
      await this.refreshLinksTo(
        page.spaceKey,
        subtree.map((p) => p.titleKey),
      );
      const url = pageUrl(await this.renderer.spaceSlug(page.spaceKey), page.path);
      await this.events.publish(wikiPageDeleted, {
        ...this.payload(page, url, viewer.id),
        pageIds: subtree.map((p) => p.id),
      });
      await this.audit.record({
        action: 'wiki.page.deleted',
        subject: `wiki-page:${page.id}`,
        actorId: viewer.id,
        details: { title: page.title, pages: subtree.length, reason },
      });
      return subtree;
    });
  }

  /** Restores a deleted page and the pages deleted with it (not those deleted separately before). */
  async restore(viewer: Viewer & { id: string }, id: string): Promise<WikiPage> {
    const page = await this.access.page(id);
    const record = await this.contents.get(page.contentId);
    await this.access.assert(viewer, wikiPermissions.restore, page);
    if (!record || !page.deletedAt) throw new Conflict('This page is not deleted');
    // Only those who may see the page learn it exists: restore needs the space to be visible.
    if (this.access.spaceIdOf(page)) await this.access.visibleSpace(viewer, page.spaceKey);
    return this.db.transaction(async () => {
      const group = await this.db.repository(WikiPage).find({ where: [{ id: page.id }, { deletedWith: page.id }] });
      const statuses = await this.contents.getMany(group.map((p) => p.contentId));
      for (const p of group) {
        if (statuses.get(p.contentId)?.status === 'deleted')
          await this.contents.setStatus(p.contentId, 'published', { actorId: viewer.id });
        await this.db.repository(WikiPage).update({ id: p.id }, { deletedAt: null, deletedWith: null });
      }
      await this.refreshLinksTo(
        page.spaceKey,
        group.map((p) => p.titleKey),
      );
      const restored = { ...page, deletedAt: null, deletedWith: null };
      const url = pageUrl(await this.renderer.spaceSlug(page.spaceKey), page.path);
      await this.events.publish(wikiPageRestored, {
        ...this.payload(restored, url, viewer.id),
        pageIds: group.map((p) => p.id),
      });
      await this.audit.record({
        action: 'wiki.page.restored',
        subject: `wiki-page:${page.id}`,
        actorId: viewer.id,
        details: { title: page.title, pages: group.length },
      });
      return restored;
    });
  }

  // ----- templates

  async setTemplate(viewer: Viewer & { id: string }, id: string, template: boolean): Promise<WikiPage> {
    const { page } = await this.access.read(viewer, id);
    await this.access.assertInSpace(viewer, wikiPermissions.manage, page.spaceKey);
    await this.db.transaction(async () => {
      await this.db.repository(WikiPage).update({ id: page.id }, { isTemplate: template });
      await this.audit.record({
        action: template ? 'wiki.template.marked' : 'wiki.template.unmarked',
        subject: `wiki-page:${page.id}`,
        actorId: viewer.id,
      });
    });
    return { ...page, isTemplate: template };
  }

  // ----- content status from elsewhere (a moderator approving a held edit)

  /** After a held page or edit is approved, readers see its newest revision. */
  async published(contentId: string, status: ContentStatus): Promise<void> {
    // The event may arrive after a later edit was held again: only a page published now counts.
    if (status !== 'published' || (await this.contents.get(contentId))?.status !== 'published') return;
    const page = await this.db.repository(WikiPage).findOneBy({ contentId });
    if (!page || page.publishedRevision === page.revision) return;
    const before = await this.mentions.previouslyPublishedBody(page);
    await this.db.repository(WikiPage).update({ id: page.id }, { publishedRevision: page.revision });
    // The approved text is news to the people it newly mentions (told in the words of its writer).
    const [writer, mentioned] = await Promise.all([
      this.users.findById(page.editorId),
      this.renderer.people(extractMentions(page.body)),
    ]);
    const url = pageUrl(await this.renderer.spaceSlug(page.spaceKey), page.path);
    await this.mentions.notifyAdded(page, url, [...mentioned.values()], before, writer ?? { id: page.editorId });
  }

  // ----- links

  private async insertRevision(
    page: WikiPage,
    rendered: RenderedPage,
    summary: string,
    restoredFrom: number | null,
  ): Promise<void> {
    await this.db.repository(WikiRevision).insert({
      pageId: page.id,
      number: page.revision,
      title: page.title,
      body: page.body,
      html: rendered.html,
      toc: JSON.stringify(rendered.headings),
      summary,
      size: page.size,
      authorId: page.editorId,
      restoredFrom,
      createdAt: page.updatedAt,
    });
  }

  /** The page's outgoing links, as its current text has them. */
  async replaceLinks(page: Pick<WikiPage, 'id' | 'spaceKey'>, rendered: RenderedPage): Promise<void> {
    const links = this.db.repository(WikiLink);
    await links.delete({ fromPageId: page.id });
    if (rendered.links.length)
      await links.insert(
        rendered.links.map((l) => ({ fromPageId: page.id, toKey: l.key, spaceKey: page.spaceKey, toPageId: l.pageId })),
      );
  }

  /** Re-renders, after the commit, the pages whose links name one of these titles. */
  private async refreshLinksTo(spaceKey: string, keys: string[]): Promise<void> {
    const wanted = [...new Set(keys)].filter(Boolean);
    if (!wanted.length) return;
    const any = await this.db
      .repository(WikiLink)
      .findOne({ select: { fromPageId: true }, where: { spaceKey, toKey: In(wanted) } });
    if (any) await this.jobs.enqueue(refreshWikiLinks, { spaceKey, keys: wanted });
  }

  /** The job: re-render linking pages without making a revision, unless they changed meanwhile. */
  async refreshLinks(spaceKey: string, keys: string[]): Promise<number> {
    const from = await this.db
      .repository(WikiLink)
      .find({ select: { fromPageId: true }, where: { spaceKey, toKey: In(keys) } });
    let refreshed = 0;
    for (const pageId of [...new Set(from.map((l) => l.fromPageId))]) {
      const page = await this.db
        .repository(WikiPage)
        .findOne({
          select: { id: true, spaceKey: true, body: true, revision: true },
          where: { id: pageId, deletedAt: IsNull() },
        });
      if (!page) continue;
      const rendered = await this.renderer.render(page.spaceKey, page.body);
      await this.db.transaction(async () => {
        const updated = await this.db
          .repository(WikiPage)
          .createQueryBuilder()
          .update(WikiPage)
          .set({ html: rendered.html, toc: JSON.stringify(rendered.headings) })
          .where('id = :id AND revision = :revision', { id: page.id, revision: page.revision })
          .execute();
        if (updated.affected === 1) {
          await this.replaceLinks(page, rendered);
          refreshed++;
        }
      });
    }
    return refreshed;
  }

  // ----- the tree lock

  /** Creates the space's lock row once, outside the transaction that will lock it. */
  private async ensureTreeLockRow(spaceKey: string): Promise<void> {
    if (this.db.engine !== 'mysql') return;
    await this.db.manager().query('INSERT IGNORE INTO wiki_tree_lock (space_key, changes) VALUES (?, 0)', [spaceKey]);
  }

  /**
   * Serialises tree changes in a space. SQLite transactions are already serialised by core; on
   * MySQL this is the first statement of the transaction, so later reads see the committed tree.
   */
  private async lockTree(spaceKey: string): Promise<void> {
    if (this.db.engine !== 'mysql') return;
    await this.db
      .repository(WikiTreeLock)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.space_key = :key', { key: spaceKey })
      .getOne();
  }

  private payload(page: WikiPage, url: string, actorId: string) {
    return {
      pageId: page.id,
      contentId: page.contentId,
      spaceId: this.access.spaceIdOf(page),
      title: page.title,
      url,
      revision: page.revision,
      actorId,
    };
  }
}
