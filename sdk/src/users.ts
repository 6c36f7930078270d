import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The public face of a user: what other people see.
 *
 * @example
 * ```ts
 * const author: UserRef = { id: '1', handle: 'ada', displayName: 'Ada Lovelace' };
 * ```
 */
export interface UserRef {
  /** The user's id. */
  id: string;
  /** The unique name people mention them by (`ada` in `@ada`). */
  handle: string;
  /** The name shown to others. */
  displayName: string;
}

/**
 * The signed-in user as a request sees it.
 *
 * @example
 * ```ts
 * function isAdmin(user: SignedInUser) { return user.roles.includes('admin'); }
 * ```
 */
export interface SignedInUser extends UserRef {
  /** Their e-mail address; never show it to others. */
  email: string;
  /** The names of the roles they hold across the site (`member`, `moderator`, `admin` or custom ones). */
  roles: string[];
  /** The account's state: `active`, or `suspended` or `deactivated` by an admin. */
  status: 'active' | 'suspended' | 'deactivated';
  /** The language the user chose (`en`, `nl`), or null to follow the browser. */
  locale: string | null;
}

/**
 * Looks up users.
 *
 * @example
 * ```ts
 * constructor(private readonly users: Users) {}
 * const authors = await this.users.findByIds(posts.map((p) => p.authorId));
 * ```
 */
export abstract class Users {
  /**
   * One user by id, or null.
   *
   * @example
   * ```ts
   * const user = await users.findById('42');
   * ```
   */
  abstract findById(id: string): Promise<UserRef | null>;

  /**
   * One user by handle (case-insensitive), or null.
   *
   * @example
   * ```ts
   * const ada = await users.findByHandle('ada');
   * ```
   */
  abstract findByHandle(handle: string): Promise<UserRef | null>;

  /**
   * Many users in one query, keyed by id; unknown ids are absent from the map.
   *
   * @example
   * ```ts
   * const byId = await users.findByIds(['1', '2']);
   * byId.get('1')?.displayName;
   * ```
   */
  abstract findByIds(ids: readonly string[]): Promise<Map<string, UserRef>>;

  /**
   * Suspends an account (it cannot sign in, its sessions end and its tokens stop working) or makes
   * a suspended one active again, recorded in the audit log with `by`. A deactivated account stays
   * deactivated (only administrators change that). Answers the account's status afterwards, or
   * null when there is no such user.
   *
   * @example
   * ```ts
   * await users.setStatus(user.id, 'suspended', { actorId: moderator.id, reason: 'Repeated abuse' });
   * await users.setStatus(user.id, 'active', { actorId: null, reason: 'Suspension ended' });
   * ```
   */
  abstract setStatus(
    userId: string,
    status: 'active' | 'suspended',
    by: { actorId: string | null; reason?: string | null },
  ): Promise<SignedInUser['status'] | null>;
}

/**
 * Injects the signed-in user (or `null` for anonymous requests) into a route handler.
 *
 * @example
 * ```ts
 * @Get('mine')
 * @RequirePermission(kudosPermissions.read)
 * mine(@CurrentUser() user: SignedInUser) { return this.kudos.receivedBy(user.id); }
 * ```
 */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): SignedInUser | null => {
  const request = ctx.switchToHttp().getRequest<{ plein?: { user?: SignedInUser | null } }>();
  return request.plein?.user ?? null;
});
