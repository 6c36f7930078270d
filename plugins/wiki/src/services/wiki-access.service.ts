import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Contents,
  Database,
  Permissions,
  Spaces,
  type ContentRecord,
  type PermissionDefinition,
  type SpaceRef,
  type UserRef,
} from '@plein/sdk';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { wikiPermissions } from '../permissions';
import { WIKI_MESSAGES, invalid } from './wiki-names';

/** Who is asking: a signed-in user (with roles, for permission checks) or null for anonymous. */
export type Viewer = (UserRef & { roles?: string[] }) | null;

/**
 * A page as one viewer may read it.
 *
 * `view` is `current` when the viewer sees the newest revision, or `published` when a later edit
 * is held for review and this viewer may only see the last published revision (see the README,
 * "Held edits").
 */
export interface PageAccess {
  page: WikiPage;
  record: ContentRecord;
  space: SpaceRef | null;
  view: 'current' | 'published';
  /** The newest revision this viewer may see. */
  visibleRevision: number;
}

/**
 * Loads pages and decides who may see and change them: visibility through the content contract
 * (`Contents.getVisible`: status, private spaces), permissions through `Permissions.can` in the
 * page's space (`-own` permissions count for the page's creator).
 */
@Injectable()
export class WikiAccessService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly spaces: Spaces,
    private readonly permissions: Permissions,
  ) {}

  spaceIdOf(page: Pick<WikiPage, 'spaceKey'>): string | null {
    return page.spaceKey === ORG_SPACE_KEY ? null : page.spaceKey;
  }

  /** A space by id or slug that the viewer may see; 404 otherwise (a private space is not revealed). */
  async visibleSpace(viewer: Viewer, ref: string): Promise<SpaceRef> {
    const space = await this.spaces.visibleTo(viewer, ref);
    if (!space) throw new NotFoundException(`No space '${ref}', or it is private`);
    return space;
  }

  /** `spaceId` of a request (id or slug, absent for organisation-wide) as a space key. */
  async spaceKeyOf(
    viewer: Viewer,
    ref: string | null | undefined,
  ): Promise<{ spaceKey: string; space: SpaceRef | null }> {
    if (!ref || ref === ORG_SPACE_KEY) return { spaceKey: ORG_SPACE_KEY, space: null };
    const space = await this.visibleSpace(viewer, ref);
    return { spaceKey: space.id, space };
  }

  async page(id: string): Promise<WikiPage> {
    const page =
      typeof id === 'string' && id.length <= 36 ? await this.db.repository(WikiPage).findOneBy({ id }) : null;
    if (!page) throw new NotFoundException(`No wiki page with the id '${id}'`);
    return page;
  }

  /** The page if the viewer may read it, else 404 (or 401/403 when reading is not granted). */
  async read(viewer: Viewer, id: string): Promise<PageAccess> {
    return this.readPage(viewer, await this.page(id));
  }

  async readPage(viewer: Viewer, page: WikiPage): Promise<PageAccess> {
    const spaceId = this.spaceIdOf(page);
    let record: ContentRecord;
    let view: PageAccess['view'] = 'current';
    try {
      record = await this.contents.getVisible(viewer, page.contentId);
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
      // A held edit makes the whole item pending. Readers keep the last published revision, and
      // the person whose edit waits keeps seeing it; hidden and deleted pages stay 404.
      const held = await this.contents.get(page.contentId);
      if (!held || held.status !== 'pending') throw new NotFoundException(`No wiki page with the id '${page.id}'`);
      if (spaceId && !(await this.spaces.visibleTo(viewer, spaceId)))
        throw new NotFoundException(`No wiki page with the id '${page.id}'`);
      if (viewer && viewer.id === page.editorId) view = 'current';
      else if (page.publishedRevision) view = 'published';
      else throw new NotFoundException(`No wiki page with the id '${page.id}'`);
      record = held;
    }
    await this.permissions.assert(viewer, wikiPermissions.read, { spaceId });
    const space = spaceId ? await this.spaces.find(spaceId) : null;
    return { page, record, space, view, visibleRevision: view === 'current' ? page.revision : page.publishedRevision! };
  }

  can(
    viewer: Viewer,
    permission: PermissionDefinition,
    page: Pick<WikiPage, 'spaceKey' | 'authorId'>,
  ): Promise<boolean> {
    return this.permissions.can(viewer, permission, { spaceId: this.spaceIdOf(page), ownerId: page.authorId });
  }

  assert(
    viewer: Viewer,
    permission: PermissionDefinition,
    page: Pick<WikiPage, 'spaceKey' | 'authorId'>,
  ): Promise<void> {
    return this.permissions.assert(viewer, permission, { spaceId: this.spaceIdOf(page), ownerId: page.authorId });
  }

  assertInSpace(viewer: Viewer, permission: PermissionDefinition, spaceKey: string): Promise<void> {
    return this.permissions.assert(viewer, permission, { spaceId: spaceKey === ORG_SPACE_KEY ? null : spaceKey });
  }

  canInSpace(viewer: Viewer, permission: PermissionDefinition, spaceKey: string): Promise<boolean> {
    return this.permissions.can(viewer, permission, { spaceId: spaceKey === ORG_SPACE_KEY ? null : spaceKey });
  }

  /** A parent page for a new or moved page: visible to the viewer, live, in `spaceKey`; else 422. */
  async parent(viewer: Viewer, parentId: string, spaceKey: string | null, field = 'parentId'): Promise<WikiPage> {
    const parent =
      typeof parentId === 'string' && parentId.length <= 36
        ? await this.db.repository(WikiPage).findOneBy({ id: parentId })
        : null;
    if (!parent || parent.deletedAt) throw invalid(field, WIKI_MESSAGES.parentUnknown);
    try {
      await this.contents.getVisible(viewer, parent.contentId);
    } catch (error) {
      if (error instanceof NotFoundException) throw invalid(field, WIKI_MESSAGES.parentUnknown);
      throw error;
    }
    if (spaceKey !== null && parent.spaceKey !== spaceKey) throw invalid(field, WIKI_MESSAGES.parentOtherSpace);
    return parent;
  }
}
