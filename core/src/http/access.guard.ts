import { Injectable, NotFoundException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { METADATA, type SignedInUser } from '@plein/sdk';
import { PermissionsService } from '../permissions/permissions.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { UsersService } from '../users/users.service';

export interface PleinRequestState {
  user: SignedInUser | null;
}

/**
 * One guard for every route, in this order: a disabled plugin's routes are 404; the caller is
 * identified (bearer token); the route's `@Public()` or `@RequirePermission` decides.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: PluginRegistry,
    private readonly users: UsersService,
    private readonly permissions: PermissionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const owner = this.registry.ownerOf(context.getClass());
    if (owner && !this.registry.isActive(owner)) throw new NotFoundException();
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; plein?: PleinRequestState }>();
    const user = await this.identify(request.headers.authorization);
    request.plein = { user };
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(METADATA.public, targets)) return true;
    const permission = this.reflector.getAllAndOverride<string>(METADATA.permission, targets);
    // Unreachable for routes that passed the boot check; refuse rather than allow.
    if (!permission) throw new NotFoundException();
    await this.permissions.assert(user, permission);
    return true;
  }

  private async identify(authorization: string | undefined): Promise<SignedInUser | null> {
    if (!authorization) return null;
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match) throw new UnauthorizedException('Authorization: expected "Bearer <token>"');
    const user = await this.users.authenticateToken(match[1]);
    if (!user) throw new UnauthorizedException('The access token is unknown, revoked, or its user is not active');
    return user;
  }
}
