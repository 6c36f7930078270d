import { ForbiddenException, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import {
  Contents,
  Database,
  Permissions,
  Spaces,
  type ContentRecord,
  type PermissionDefinition,
  type SpaceRef,
  type SpaceRole,
  type UserRef,
} from '@plein/sdk';
import { ForumCategory } from '../entities/forum-category.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { forumPermissions } from '../permissions';
import { effectiveRule, parseGrants, ruleAllows, type GrantAction } from './forum-grants';
import { idLike } from './forum-names';
import { selectEntities } from './forum-sql';

/** Who is asking: a signed-in user (with roles, for permission checks) or null for anonymous. */
export type Viewer = (UserRef & { roles?: string[] }) | null;
export type SignedInViewer = UserRef & { roles?: string[] };

/** A category as one viewer may use it. */
export interface CategoryAccess {
  category: ForumCategory;
  parent: ForumCategory | null;
  space: SpaceRef | null;
}

/** A topic as one viewer may read it. */
export interface TopicAccess {
  topic: ForumTopic;
  record: ContentRecord;
  at: CategoryAccess;
  /** The viewer may moderate here (sees deleted and hidden posts, has the moderator menu). */
  moderator: boolean;
}

export interface PostAccess extends TopicAccess {
  post: ForumPost;
  postRecord: ContentRecord;
}

const PERMISSION_OF: Record<GrantAction, PermissionDefinition> = {
  read: forumPermissions.read,
  create: forumPermissions.create,
  reply: forumPermissions.reply,
};

const notFound = (what: string, id: string) => new NotFoundException(`No ${what} with the id '${id}'`);

/**
 * Loads categories, topics and posts and decides who may see and do what: visibility through the
 * content contract (`Contents.getVisible`, private spaces), permissions through `Permissions.can`
 * in the category's space, and the category's own grants on top (see the README, "Category
 * grants"). Whatever a viewer may not read answers 404, never 403, so its existence is not revealed.
 */
@Injectable()
export class ForumAccessService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly spaces: Spaces,
    private readonly permissions: Permissions,
  ) {}

  // ----- categories

  /** A category by id or slug, whoever asks. */
  async findCategory(ref: string): Promise<ForumCategory | null> {
    if (!idLike(ref)) return null;
    // One plain statement for both (every category page and list asks it); an id wins over a slug
    // that happens to spell one.
    const found = await selectEntities(this.db, ForumCategory, 'id = ? OR slug = ? LIMIT 2', [ref, ref]);
    return found.find((c) => c.id === ref) ?? found[0] ?? null;
  }

  /** A category by id (a topic's, a parent), as a plain statement. */
  private async categoryById(id: string): Promise<ForumCategory | null> {
    return (await selectEntities(this.db, ForumCategory, 'id = ?', [id]))[0] ?? null;
  }

  /** What a viewer sees of a category row: its space (404 when private to them) and its parent. */
  async categoryAccess(viewer: Viewer, category: ForumCategory): Promise<CategoryAccess> {
    let space: SpaceRef | null = null;
    if (category.spaceId) {
      space = await this.spaces.visibleTo(viewer, category.spaceId);
      if (!space) throw notFound('category', category.id);
    }
    const parent = category.parentId ? await this.categoryById(category.parentId) : null;
    return { category, parent, space };
  }

  /** A category the viewer may read; 404 when they may not know it exists. */
  async category(viewer: Viewer, ref: string): Promise<CategoryAccess> {
    const category = await this.findCategory(ref);
    if (!category) throw notFound('category', ref);
    const at = await this.categoryAccess(viewer, category);
    await this.assertReads(viewer, at);
    return at;
  }

  /** 401/403 when reading the forum is not granted at all; 404 when the category's grants keep the viewer out. */
  async assertReads(viewer: Viewer, at: CategoryAccess): Promise<void> {
    if (await this.can(viewer, 'read', at)) return;
    const rule = effectiveRule(
      parseGrants(at.category.grants),
      at.parent ? parseGrants(at.parent.grants) : null,
      'read',
    );
    if (rule === null) await this.permissions.assert(viewer, forumPermissions.read, { spaceId: at.category.spaceId });
    throw notFound('category', at.category.id);
  }

  /**
   * Whether the viewer may read, start topics or reply in a category: the category's own rule
   * (or its parent's) when it has one, else the permission in the category's space. Administrators
   * and category managers pass every rule (moderators only the rules that name them, so a category
   * can keep even them from starting topics there); writing always needs an account. `spaceRoles`
   * remembers the viewer's role per space across calls (one lookup per space for a whole list).
   */
  async can(
    viewer: Viewer,
    action: GrantAction,
    at: CategoryAccess,
    spaceRoles?: Map<string, Promise<SpaceRole | null>>,
  ): Promise<boolean> {
    if (action !== 'read' && !viewer) return false;
    if (action !== 'read' && !(await this.can(viewer, 'read', at, spaceRoles))) return false;
    const rule = effectiveRule(
      parseGrants(at.category.grants),
      at.parent ? parseGrants(at.parent.grants) : null,
      action,
    );
    const spaceId = at.category.spaceId;
    if (rule === null) return this.permissions.can(viewer, PERMISSION_OF[action], { spaceId });
    const roles = viewer?.roles ?? [];
    if (roles.includes('admin')) return true;
    let spaceRole: SpaceRole | null = null;
    if (viewer && spaceId) {
      let role = spaceRoles?.get(spaceId);
      if (!role) {
        role = this.spaces.roleOf(viewer.id, spaceId);
        spaceRoles?.set(spaceId, role);
      }
      spaceRole = await role;
    }
    if (ruleAllows(rule, { signedIn: viewer !== null, roles, spaceRole })) return true;
    return this.permissions.can(viewer, forumPermissions.manage, { spaceId });
  }

  async assertCan(viewer: Viewer, action: GrantAction, at: CategoryAccess): Promise<void> {
    if (await this.can(viewer, action, at)) return;
    if (!viewer)
      throw new UnauthorizedException(`Sign in to continue: this needs the permission '${PERMISSION_OF[action].name}'`);
    throw new ForbiddenException(
      `You may not ${action === 'create' ? 'start topics' : action} in the category '${at.category.name}'`,
    );
  }

  /** A permission in the category's space (edit, delete, moderate, manage), `-own` counting for `ownerId`. */
  canIn(
    viewer: Viewer,
    permission: PermissionDefinition,
    at: CategoryAccess,
    ownerId?: string | null,
  ): Promise<boolean> {
    return this.permissions.can(viewer, permission, { spaceId: at.category.spaceId, ownerId: ownerId ?? null });
  }

  assertIn(
    viewer: Viewer,
    permission: PermissionDefinition,
    at: CategoryAccess,
    ownerId?: string | null,
  ): Promise<void> {
    return this.permissions.assert(viewer, permission, { spaceId: at.category.spaceId, ownerId: ownerId ?? null });
  }

  /** A permission in a space (null: organisation-wide, where only global grants count). */
  canInSpace(viewer: Viewer, permission: PermissionDefinition, spaceId: string | null): Promise<boolean> {
    return this.permissions.can(viewer, permission, { spaceId });
  }

  assertInSpace(viewer: Viewer, permission: PermissionDefinition, spaceId: string | null): Promise<void> {
    return this.permissions.assert(viewer, permission, { spaceId });
  }

  // ----- topics and posts

  async topicRow(id: string): Promise<ForumTopic> {
    const topic = idLike(id) ? (await selectEntities(this.db, ForumTopic, 'id = ?', [id]))[0] : null;
    if (!topic) throw notFound('topic', id);
    return topic;
  }

  /** A topic the viewer may read: visible through the content contract, or to its moderators whatever its status. */
  async topic(viewer: Viewer, id: string): Promise<TopicAccess> {
    return this.topicFor(viewer, await this.topicRow(id));
  }

  async topicFor(viewer: Viewer, topic: ForumTopic): Promise<TopicAccess> {
    const category = await this.categoryById(topic.categoryId);
    if (!category) throw notFound('topic', topic.id);
    const at = await this.categoryAccess(viewer, category);
    if (!(await this.can(viewer, 'read', at))) {
      const rule = effectiveRule(
        parseGrants(category.grants),
        at.parent ? parseGrants(at.parent.grants) : null,
        'read',
      );
      if (rule === null) await this.permissions.assert(viewer, forumPermissions.read, { spaceId: category.spaceId });
      throw notFound('topic', topic.id);
    }
    const moderator = await this.canIn(viewer, forumPermissions.moderate, at);
    const record = await this.visibleRecord(viewer, topic.contentId, moderator);
    if (!record) throw notFound('topic', topic.id);
    return { topic, record, at, moderator };
  }

  /** A post the viewer may read, with its topic. */
  async post(viewer: Viewer, id: string): Promise<PostAccess> {
    const post = idLike(id) ? await this.db.repository(ForumPost).findOneBy({ id }) : null;
    if (!post) throw notFound('post', id);
    const topic = await this.db.repository(ForumTopic).findOneBy({ id: post.topicId });
    if (!topic) throw notFound('post', id);
    let access: TopicAccess;
    try {
      access = await this.topicFor(viewer, topic);
    } catch (error) {
      if (error instanceof NotFoundException) throw notFound('post', id);
      throw error;
    }
    const postRecord =
      post.contentId === topic.contentId
        ? access.record
        : await this.visibleRecord(viewer, post.contentId, access.moderator);
    if (!postRecord) throw notFound('post', id);
    return { ...access, post, postRecord };
  }

  /**
   * The record if the viewer may see it (`Contents.getVisible`: published, or their own), or, for
   * a moderator of the place, whatever its status; null otherwise.
   */
  private async visibleRecord(viewer: Viewer, contentId: string, moderator: boolean): Promise<ContentRecord | null> {
    try {
      return await this.contents.getVisible(viewer, contentId);
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
    return moderator ? this.contents.get(contentId) : null;
  }
}

export function signedIn(viewer: Viewer): SignedInViewer {
  // The guard lets anonymous callers through for what anonymous visitors may do (reading); every
  // change needs an account.
  if (!viewer) throw new UnauthorizedException('Sign in to continue');
  return viewer;
}
