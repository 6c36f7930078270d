import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Audit, Clock, Conflict, Database, EventBus, Settings, Spaces, type SpaceRole } from '@plein/sdk';
import { ForumCategory } from '../entities/forum-category.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { forumCategoryCreated, forumCategoryUpdated } from '../events';
import { forumPermissions } from '../permissions';
import type { ForumSettings } from '../settings';
import { ForumAccessService, type CategoryAccess, type SignedInViewer, type Viewer } from './forum-access.service';
import { checkGrants, parseGrants, type CategoryGrants } from './forum-grants';
import { ForumListingService } from './forum-listing.service';
import {
  checkDescription,
  checkLine,
  checkSlug,
  FORUM_MESSAGES,
  invalid,
  isDuplicate,
  MAX_CATEGORY_NAME,
} from './forum-names';
import { ForumViewService, type CategorySummary } from './forum-view.service';

export interface CategoryInput {
  slug?: string;
  name?: string;
  description?: string | null;
  /** A space id or slug; null for organisation-wide. */
  spaceId?: string | null;
  parentId?: string | null;
  position?: number;
}

/** The most categories one forum lists (a forum is a handful of places, not a tree of thousands). */
export const MAX_CATEGORIES = 500;

/**
 * Categories: created and edited by administrators and those holding `forum.category.manage`
 * (in the category's space), nested one level, ordered, with their own grants.
 */
@Injectable()
export class ForumCategoriesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly events: EventBus,
    private readonly audit: Audit,
    private readonly spaces: Spaces,
    private readonly settings: Settings,
    private readonly access: ForumAccessService,
    private readonly listing: ForumListingService,
    private readonly views: ForumViewService,
  ) {}

  /**
   * Every category the viewer may read: top-level ones by position, each followed by its children.
   * One query for the categories, then at most one lookup per space (its visibility, the viewer's
   * role there); it is also what core asks for the viewer's audiences (see ForumAudiencesService).
   */
  async list(viewer: Viewer): Promise<CategoryAccess[]> {
    const all = await this.db
      .repository(ForumCategory)
      .find({ order: { position: 'ASC', name: 'ASC' }, take: MAX_CATEGORIES });
    const byId = new Map(all.map((c) => [c.id, c]));
    const readable: CategoryAccess[] = [];
    const spaceSeen = new Map<string, Awaited<ReturnType<Spaces['visibleTo']>>>();
    const spaceRoles = new Map<string, Promise<SpaceRole | null>>();
    for (const category of all) {
      let space = null;
      if (category.spaceId) {
        if (!spaceSeen.has(category.spaceId))
          spaceSeen.set(category.spaceId, await this.spaces.visibleTo(viewer, category.spaceId));
        space = spaceSeen.get(category.spaceId) ?? null;
        if (!space) continue;
      }
      const parent = category.parentId ? (byId.get(category.parentId) ?? null) : null;
      const at = { category, parent, space };
      if (await this.access.can(viewer, 'read', at, spaceRoles)) readable.push(at);
    }
    const tops = readable.filter(
      (a) => !a.category.parentId || !readable.some((p) => p.category.id === a.category.parentId),
    );
    const ordered: CategoryAccess[] = [];
    for (const top of tops) {
      ordered.push(top);
      if (!top.category.parentId) ordered.push(...readable.filter((a) => a.category.parentId === top.category.id));
    }
    return ordered;
  }

  /** The list as the API answers it, with unread counts for signed-in viewers. */
  async summaries(viewer: Viewer, categories: CategoryAccess[]): Promise<CategorySummary[]> {
    let unread = new Map<string, number>();
    if (viewer) {
      const { unreadWindowDays } = await this.settings.get<ForumSettings>();
      unread = await this.listing.unreadCounts(
        viewer,
        categories.map((c) => c.category.id),
        unreadWindowDays,
      );
    }
    return categories.map((c) => this.views.category(c.category, viewer ? (unread.get(c.category.id) ?? 0) : null));
  }

  /** Whether the viewer may create and edit categories in a space (null: organisation-wide). */
  async mayManage(viewer: Viewer, spaceId: string | null): Promise<boolean> {
    return viewer !== null && (await this.access.canInSpace(viewer, forumPermissions.manage, spaceId));
  }

  /** The spaces (null: organisation-wide) where the viewer may create categories. */
  async managedPlaces(viewer: Viewer): Promise<Array<string | null>> {
    if (!viewer) return [];
    const places: Array<string | null> = [];
    if (await this.mayManage(viewer, null)) places.push(null);
    for (const spaceId of (await this.spaces.memberOf(viewer.id)).slice(0, 200))
      if (await this.mayManage(viewer, spaceId)) places.push(spaceId);
    return places;
  }

  private assertManage(viewer: SignedInViewer, spaceId: string | null): Promise<void> {
    return this.access.assertInSpace(viewer, forumPermissions.manage, spaceId);
  }

  /** A space reference (id or slug) the viewer may see, as its id; 404 when private to them. */
  private async spaceIdOf(viewer: Viewer, ref: string | null | undefined): Promise<string | null> {
    if (!ref) return null;
    const space = await this.spaces.visibleTo(viewer, ref);
    if (!space) throw new NotFoundException(`No space '${ref}', or it is private`);
    return space.id;
  }

  private async parentFor(
    ref: string | null | undefined,
    spaceId: string | null,
    self: string | null,
  ): Promise<ForumCategory | null> {
    if (!ref) return null;
    const parent = await this.access.findCategory(ref);
    if (!parent || parent.id === self) throw invalid('parentId', FORUM_MESSAGES.parentUnknown);
    if (parent.parentId) throw invalid('parentId', FORUM_MESSAGES.parentNested);
    if (parent.spaceId !== spaceId) throw invalid('parentId', FORUM_MESSAGES.parentOtherSpace);
    return parent;
  }

  async create(viewer: SignedInViewer, input: CategoryInput): Promise<ForumCategory> {
    const name = checkLine(input.name, 'name', MAX_CATEGORY_NAME, FORUM_MESSAGES.nameTooLong);
    const slug = checkSlug(input.slug);
    const description = checkDescription(input.description);
    const spaceId = await this.spaceIdOf(viewer, input.spaceId);
    await this.assertManage(viewer, spaceId);
    const parent = await this.parentFor(input.parentId, spaceId, null);
    const now = this.clock.now();
    const category: ForumCategory = {
      id: randomUUID(),
      slug,
      name,
      description,
      spaceId,
      parentId: parent?.id ?? null,
      position: Number.isInteger(input.position) ? input.position! : await this.nextPosition(parent?.id ?? null),
      grants: '{}',
      topicCount: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.db.transaction(async () => {
        await this.db.repository(ForumCategory).insert(category);
        await this.events.publish(forumCategoryCreated, this.payload(category, viewer.id));
        await this.audit.record({
          action: 'forum.category.created',
          subject: `forum-category:${category.id}`,
          actorId: viewer.id,
          details: { slug, name, spaceId },
        });
      });
    } catch (error) {
      if (isDuplicate(error))
        throw new Conflict(`Another category already has the slug '${slug}'`, {
          errors: [{ field: 'slug', message: FORUM_MESSAGES.slugTaken }],
        });
      throw error;
    }
    return category;
  }

  private async nextPosition(parentId: string | null): Promise<number> {
    const last = await this.db
      .repository(ForumCategory)
      .createQueryBuilder('c')
      .select('MAX(c.position)', 'max')
      .where(parentId ? 'c.parent_id = :parentId' : 'c.parent_id IS NULL', { parentId })
      .getRawOne<{ max: number | string | null }>();
    return last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
  }

  async update(viewer: SignedInViewer, ref: string, input: CategoryInput): Promise<ForumCategory> {
    const at = await this.access.category(viewer, ref);
    const current = at.category;
    await this.assertManage(viewer, current.spaceId);
    const next: ForumCategory = { ...current };
    if (input.name !== undefined)
      next.name = checkLine(input.name, 'name', MAX_CATEGORY_NAME, FORUM_MESSAGES.nameTooLong);
    if (input.slug !== undefined) next.slug = checkSlug(input.slug);
    if (input.description !== undefined) next.description = checkDescription(input.description);
    if (input.position !== undefined) {
      if (!Number.isInteger(input.position)) throw invalid('position', FORUM_MESSAGES.notNumber);
      next.position = input.position;
    }
    if (input.spaceId !== undefined) {
      next.spaceId = await this.spaceIdOf(viewer, input.spaceId);
      if (next.spaceId !== current.spaceId) {
        // Core's content records keep the space a topic was started in.
        if (await this.db.repository(ForumTopic).existsBy({ categoryId: current.id }))
          throw invalid('spaceId', FORUM_MESSAGES.spaceHasTopics);
        await this.assertManage(viewer, next.spaceId);
      }
    }
    if (input.parentId !== undefined) {
      const parent = await this.parentFor(input.parentId, next.spaceId, current.id);
      if (parent && (await this.db.repository(ForumCategory).existsBy({ parentId: current.id })))
        throw invalid('parentId', FORUM_MESSAGES.parentHasChildren);
      next.parentId = parent?.id ?? null;
    } else if (next.spaceId !== current.spaceId && current.parentId) {
      throw invalid('spaceId', FORUM_MESSAGES.parentOtherSpace);
    }
    next.updatedAt = this.clock.now();
    try {
      await this.db.transaction(async () => {
        await this.db.repository(ForumCategory).update(
          { id: current.id },
          {
            name: next.name,
            slug: next.slug,
            description: next.description,
            position: next.position,
            spaceId: next.spaceId,
            parentId: next.parentId,
            updatedAt: next.updatedAt,
          },
        );
        await this.events.publish(forumCategoryUpdated, this.payload(next, viewer.id));
        await this.audit.record({
          action: 'forum.category.updated',
          subject: `forum-category:${current.id}`,
          actorId: viewer.id,
          details: { slug: next.slug, name: next.name },
        });
      });
    } catch (error) {
      if (isDuplicate(error))
        throw new Conflict(`Another category already has the slug '${next.slug}'`, {
          errors: [{ field: 'slug', message: FORUM_MESSAGES.slugTaken }],
        });
      throw error;
    }
    return next;
  }

  /** Deletes an empty category (one with topics or subcategories is a 409). */
  async remove(viewer: SignedInViewer, ref: string): Promise<void> {
    const { category } = await this.access.category(viewer, ref);
    await this.assertManage(viewer, category.spaceId);
    if (await this.db.repository(ForumTopic).existsBy({ categoryId: category.id }))
      throw new Conflict('The category still has topics: move them elsewhere first');
    if (await this.db.repository(ForumCategory).existsBy({ parentId: category.id }))
      throw new Conflict('The category still has subcategories');
    await this.db.transaction(async () => {
      await this.db.repository(ForumCategory).delete({ id: category.id });
      await this.audit.record({
        action: 'forum.category.deleted',
        subject: `forum-category:${category.id}`,
        actorId: viewer.id,
        details: { slug: category.slug, name: category.name },
      });
    });
  }

  async grants(viewer: SignedInViewer, ref: string): Promise<CategoryGrants> {
    const { category } = await this.access.category(viewer, ref);
    await this.assertManage(viewer, category.spaceId);
    return parseGrants(category.grants);
  }

  /** Replaces a category's grants; an action left out (or null) inherits again. */
  async setGrants(viewer: SignedInViewer, ref: string, input: unknown): Promise<CategoryGrants> {
    const { category } = await this.access.category(viewer, ref);
    await this.assertManage(viewer, category.spaceId);
    const grants = checkGrants(input);
    await this.db.transaction(async () => {
      await this.db
        .repository(ForumCategory)
        .update({ id: category.id }, { grants: JSON.stringify(grants), updatedAt: this.clock.now() });
      await this.events.publish(forumCategoryUpdated, this.payload(category, viewer.id));
      await this.audit.record({
        action: 'forum.category.grants-changed',
        subject: `forum-category:${category.id}`,
        actorId: viewer.id,
        details: { before: parseGrants(category.grants), after: grants },
      });
    });
    return grants;
  }

  private payload(category: ForumCategory, actorId: string) {
    return { categoryId: category.id, slug: category.slug, name: category.name, spaceId: category.spaceId, actorId };
  }
}
