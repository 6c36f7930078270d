import { ForbiddenException, Injectable } from '@nestjs/common';
import { Permissions, Spaces, type PermissionDefinition, type SignedInUser } from '@plein/sdk';
import type { ActorRole } from '../entities/moderation-log.entity';
import { moderationPermissions } from '../permissions';

/** Where someone holds a permission: everywhere, or in some spaces. */
export interface Scope {
  global: boolean;
  spaceIds: string[];
}

/**
 * Who moderates where. A permission held globally (through a role) covers everything, including
 * organisation-wide content; held through a space role (a space moderator) or a space grant, it
 * covers that space only.
 */
@Injectable()
export class ModerationScope {
  constructor(
    private readonly permissions: Permissions,
    private readonly spaces: Spaces,
  ) {}

  async of(user: SignedInUser | null, permission: PermissionDefinition): Promise<Scope> {
    if (!user) return { global: false, spaceIds: [] };
    if (await this.permissions.can(user, permission)) return { global: true, spaceIds: [] };
    const spaceIds: string[] = [];
    for (const spaceId of await this.spaces.memberOf(user.id)) {
      if (await this.permissions.can(user, permission, { spaceId })) spaceIds.push(spaceId);
    }
    return { global: false, spaceIds };
  }

  /** The scope, or a 403 when `user` holds the permission nowhere. */
  async require(user: SignedInUser, permission: PermissionDefinition): Promise<Scope> {
    const scope = await this.of(user, permission);
    if (!scope.global && scope.spaceIds.length === 0) {
      throw new ForbiddenException(`You do not have the permission '${permission.name}' anywhere`);
    }
    return scope;
  }

  covers(scope: Scope, spaceId: string | null): boolean {
    return scope.global || (spaceId !== null && scope.spaceIds.includes(spaceId));
  }

  /** Whether `user` holds `permission` where `spaceId` is (everywhere for organisation-wide things). */
  can(user: SignedInUser, permission: PermissionDefinition, spaceId: string | null): Promise<boolean> {
    return this.permissions.can(user, permission, spaceId ? { spaceId } : {});
  }

  async assert(
    user: SignedInUser,
    permission: PermissionDefinition,
    spaceId: string | null,
    what: string,
  ): Promise<void> {
    if (!(await this.can(user, permission, spaceId))) {
      throw new ForbiddenException(
        spaceId
          ? `${what} is in a space you do not moderate`
          : `${what} is organisation-wide: only global moderators act on it`,
      );
    }
  }

  /** Items routed to a role are for the people who hold it (and site administrators). */
  seesRoute(user: SignedInUser, routeRole: string | null): boolean {
    return routeRole === null || user.roles.includes(routeRole) || user.roles.includes('admin');
  }

  /** How an action by `user` is described to the people it concerns when names are not shown. */
  async roleOf(user: SignedInUser | null): Promise<ActorRole> {
    if (!user) return 'system';
    if (user.roles.includes('admin')) return 'admin';
    if (await this.permissions.can(user, moderationPermissions.review)) return 'moderator';
    if ((await this.of(user, moderationPermissions.review)).spaceIds.length) return 'space-moderator';
    return 'member';
  }
}
