import { Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
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
import { MicroblogPost } from '../entities/microblog-post.entity';
import { microblogPermissions } from '../permissions';

/** Who is asking: a signed-in user (with roles, for permission checks), or null for anonymous. */
export type Viewer = (UserRef & { roles?: string[] }) | null;

/** A post as one viewer may read it, with core's record of it. */
export interface PostAccess {
  post: MicroblogPost;
  record: ContentRecord;
}

/** A string that can be a row id (anything longer cannot, and is not looked up). */
export const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= 36;

export function signedIn<T extends Viewer>(viewer: T): NonNullable<T> {
  // The guard lets anonymous callers through where anonymous visitors hold the permission
  // (reading); every change needs an account.
  if (!viewer) throw new UnauthorizedException('Sign in to continue');
  return viewer as NonNullable<T>;
}

/**
 * Loads posts and decides who may see and change them: visibility through the content contract
 * (`Contents.getVisible`: status, private spaces, held posts seen by their author), permissions
 * through `Permissions.can` in the post's space (`-own` permissions count for its author).
 */
@Injectable()
export class MicroblogAccessService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly spaces: Spaces,
    private readonly permissions: Permissions,
  ) {}

  /** A post by id, whoever asks; 404 when there is none. */
  async post(id: string): Promise<MicroblogPost> {
    const post = isId(id) ? await this.db.repository(MicroblogPost).findOneBy({ id }) : null;
    if (!post) throw new NotFoundException(`No post with the id '${id}'`);
    return post;
  }

  /**
   * The post if the viewer may read it: 404 when it does not exist, is deleted, is in a private
   * space they are not in, or is held or hidden and not theirs (never a 403: its existence is not
   * revealed); 401/403 when reading is not granted in its space.
   */
  async read(viewer: Viewer, id: string): Promise<PostAccess> {
    const post = await this.post(id);
    return { post, record: await this.visibleRecord(viewer, post) };
  }

  async visibleRecord(viewer: Viewer, post: MicroblogPost): Promise<ContentRecord> {
    let record: ContentRecord;
    try {
      record = await this.contents.getVisible(viewer, post.contentId);
    } catch (error) {
      if (error instanceof NotFoundException) throw new NotFoundException(`No post with the id '${post.id}'`);
      throw error;
    }
    if (record.status === 'deleted' || post.deletedAt) throw new NotFoundException(`No post with the id '${post.id}'`);
    await this.permissions.assert(viewer, microblogPermissions.read, { spaceId: post.spaceId });
    return record;
  }

  /** Whether the viewer may read the post (false rather than 404). */
  async canRead(viewer: Viewer, post: MicroblogPost): Promise<ContentRecord | null> {
    try {
      return await this.visibleRecord(viewer, post);
    } catch {
      return null;
    }
  }

  /** A space by id or slug that the viewer may see; 404 otherwise (a private space is not revealed). */
  async space(viewer: Viewer, ref: string): Promise<SpaceRef> {
    const space = typeof ref === 'string' && ref.length <= 64 ? await this.spaces.visibleTo(viewer, ref) : null;
    if (!space) throw new NotFoundException(`No space '${ref}', or it is private`);
    return space;
  }

  can(viewer: Viewer, permission: PermissionDefinition, post: Pick<MicroblogPost, 'spaceId' | 'authorId'>) {
    return this.permissions.can(viewer, permission, { spaceId: post.spaceId, ownerId: post.authorId });
  }

  assert(viewer: Viewer, permission: PermissionDefinition, post: Pick<MicroblogPost, 'spaceId' | 'authorId'>) {
    return this.permissions.assert(viewer, permission, { spaceId: post.spaceId, ownerId: post.authorId });
  }

  canInSpace(viewer: Viewer, permission: PermissionDefinition, spaceId: string | null) {
    return this.permissions.can(viewer, permission, { spaceId });
  }

  assertInSpace(viewer: Viewer, permission: PermissionDefinition, spaceId: string | null) {
    return this.permissions.assert(viewer, permission, { spaceId });
  }
}
