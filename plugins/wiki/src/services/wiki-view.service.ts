import { Injectable } from '@nestjs/common';
import { Database, Users, type ContentStatus, type UserRef } from '@plein/sdk';
import { WikiPage } from '../entities/wiki-page.entity';
import { WikiRevision } from '../entities/wiki-revision.entity';
import { wikiPermissions } from '../permissions';
import { WikiAccessService, type PageAccess, type Viewer } from './wiki-access.service';
import { WikiListingService, type PageSummary } from './wiki-listing.service';
import { pageUrl } from './wiki-names';
import { WikiWatchService, type WatchMode } from './wiki-watch.service';

/** A page as the JSON API answers it (the content item fields of API.md plus the wiki's own). */
export interface WikiPageView {
  id: string;
  contentId: string;
  type: 'wiki.page';
  status: ContentStatus;
  /** Why the page is held, hidden or deleted (shown to those who may see it). */
  statusReason: string | null;
  author: UserRef | null;
  editor: UserRef | null;
  spaceId: string | null;
  space: { id: string; slug: string; name: string } | null;
  parentId: string | null;
  title: string;
  slug: string;
  /** The page's address: `/wiki/<space slug or ->/<slugs>`. */
  path: string;
  revision: number;
  /** True when a newer revision waits for review and this answer is the last published one. */
  pendingReview: boolean;
  body: string;
  html: string;
  toc: Array<{ level: number; text: string; id: string }>;
  size: number;
  template: boolean;
  deleted: boolean;
  createdAt: string;
  updatedAt: string;
  children?: PageSummary[];
  watching?: WatchMode | null;
  /**
   * Where a promoted page came from (`wiki.promotion.requested`): the plugin, its content, and the
   * link back (`url` null when the request named none on this intranet). Null for pages written here.
   */
  origin: { pluginId: string; contentId: string | null; url: string | null; title: string | null } | null;
}

/** What the viewer may do with a page (for buttons on the pages). */
export interface PageAbilities {
  edit: boolean;
  delete: boolean;
  restore: boolean;
  manage: boolean;
  create: boolean;
  watch: boolean;
}

/** Builds the answers about one page from the page row (never from the revisions, see `describe`). */
@Injectable()
export class WikiViewService {
  constructor(
    private readonly db: Database,
    private readonly users: Users,
    private readonly access: WikiAccessService,
    private readonly listing: WikiListingService,
    private readonly watches: WikiWatchService,
  ) {}

  /**
   * The page as the viewer may read it. The current revision comes from the page row alone, so
   * this costs the same with 1 or 10,000 revisions; only a reader held back to the last published
   * revision (a later edit waits for review) costs one primary-key read of that revision.
   */
  async describe(
    viewer: Viewer,
    access: PageAccess,
    options: { children?: boolean; watching?: boolean } = {},
  ): Promise<WikiPageView> {
    const { page, record, space } = access;
    let shown: Pick<WikiPage, 'title' | 'body' | 'html' | 'toc' | 'size' | 'revision' | 'updatedAt'> = page;
    if (access.view === 'published') {
      const published = await this.db
        .repository(WikiRevision)
        .findOneByOrFail({ pageId: page.id, number: access.visibleRevision });
      shown = {
        title: published.title,
        body: published.body,
        html: published.html,
        toc: published.toc,
        size: published.size,
        revision: published.number,
        updatedAt: published.createdAt,
      };
    }
    const people = await this.users.findByIds([page.authorId, page.editorId]);
    const spaceSlug = space?.slug ?? null;
    const view: WikiPageView = {
      id: page.id,
      contentId: page.contentId,
      type: 'wiki.page',
      status: record.status,
      statusReason: access.view === 'current' ? record.statusReason : null,
      author: people.get(page.authorId) ?? null,
      editor: access.view === 'current' ? (people.get(page.editorId) ?? null) : null,
      spaceId: this.access.spaceIdOf(page),
      space: space ? { id: space.id, slug: space.slug, name: space.name } : null,
      parentId: page.parentId,
      title: shown.title,
      slug: page.slug,
      path: pageUrl(spaceSlug, page.path),
      revision: shown.revision,
      pendingReview: access.view === 'published',
      body: shown.body,
      html: shown.html,
      toc: JSON.parse(shown.toc) as WikiPageView['toc'],
      size: shown.size,
      template: Boolean(page.isTemplate),
      deleted: page.deletedAt !== null,
      createdAt: page.createdAt.toISOString(),
      updatedAt: shown.updatedAt.toISOString(),
      origin: page.originPlugin
        ? {
            pluginId: page.originPlugin,
            contentId: page.originContentId,
            url: page.originUrl,
            title: page.originTitle,
          }
        : null,
    };
    if (options.children) view.children = await this.listing.children(viewer, page, spaceSlug);
    if (options.watching) view.watching = await this.watches.mode(viewer?.id, page.id);
    return view;
  }

  async abilities(viewer: Viewer, access: PageAccess): Promise<PageAbilities> {
    const { page } = access;
    const [edit, del, restore, manage, create] = await Promise.all([
      this.access.can(viewer, wikiPermissions.edit, page),
      this.access.can(viewer, wikiPermissions.delete, page),
      this.access.can(viewer, wikiPermissions.restore, page),
      this.access.canInSpace(viewer, wikiPermissions.manage, page.spaceKey),
      this.access.canInSpace(viewer, wikiPermissions.create, page.spaceKey),
    ]);
    const live = !page.deletedAt;
    return {
      edit: edit && live && access.view === 'current',
      delete: del && live,
      restore: restore && !live,
      manage: manage && live,
      create: create && live,
      watch: viewer !== null && live,
    };
  }
}
