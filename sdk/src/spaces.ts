/**
 * A space (a department, team or project) as plugins see it.
 *
 * @example
 * ```ts
 * const hr: SpaceRef = { id: '1', slug: 'hr', name: 'Human Resources', visibility: 'private', joinPolicy: 'invite' };
 * ```
 */
export interface SpaceRef {
  /** The space's id. */
  id: string;
  /** Its name in URLs (`/spaces/<slug>`). */
  slug: string;
  /** Its name as people read it. */
  name: string;
  /** `private`: only its members see it and its content. */
  visibility: 'public' | 'private';
  /** How people join: on their own, by a request a space admin accepts, or only when invited. */
  joinPolicy: 'open' | 'request' | 'invite';
}

/**
 * A user's role in a space.
 *
 * @example
 * ```ts
 * const role: SpaceRole = 'moderator';
 * ```
 */
export type SpaceRole = 'member' | 'moderator' | 'admin';

/**
 * Spaces and memberships. A private space is invisible to everyone but its members and site
 * administrators: `visibleTo` answers null, and routes answer 404.
 *
 * @example
 * ```ts
 * constructor(private readonly spaces: Spaces) {}
 * const space = await this.spaces.visibleTo(user, params.space);
 * if (!space) throw new NotFoundException();
 * ```
 */
export abstract class Spaces {
  /**
   * A space by id or slug, whoever asks.
   *
   * @example
   * ```ts
   * const space = await spaces.find('hr');
   * ```
   */
  abstract find(idOrSlug: string): Promise<SpaceRef | null>;

  /**
   * A space by id or slug if `user` (null: anonymous) may see it; null otherwise.
   *
   * @example
   * ```ts
   * const space = await spaces.visibleTo(user, 'hr');
   * ```
   */
  abstract visibleTo(user: { id: string } | null, idOrSlug: string): Promise<SpaceRef | null>;

  /**
   * The user's active role in the space, or null when they are not a member.
   *
   * @example
   * ```ts
   * if ((await spaces.roleOf(user.id, space.id)) === 'moderator') { ... }
   * ```
   */
  abstract roleOf(userId: string, spaceId: string): Promise<SpaceRole | null>;

  /**
   * Ids of the spaces the user is an active member of.
   *
   * @example
   * ```ts
   * const mine = await spaces.memberOf(user.id);
   * ```
   */
  abstract memberOf(userId: string): Promise<string[]>;

  /**
   * Ids of the active members of a space.
   *
   * @example
   * ```ts
   * await notifications.notify(await spaces.members(space.id), { kind: 'wiki.page.created', title, url });
   * ```
   */
  abstract members(spaceId: string): Promise<string[]>;
}
