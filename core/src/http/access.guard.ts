import {
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  METADATA,
  type PermissionRequirement,
  type SignedInUser,
  type SpaceFinder,
  type SpaceLocator,
} from '@plein/sdk';
import '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import { ANON_COOKIE, AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { PermissionsService } from '../permissions/permissions.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { SpacePluginsService } from '../spaces/space-plugins.service';
import { SpacesService } from '../spaces/spaces.service';
import { UsersService } from '../users/users.service';

export interface PleinRequestState {
  user: SignedInUser | null;
  /** How the user was identified: a session cookie needs CSRF tokens on changes, a bearer token does not. */
  via: 'session' | 'token' | 'none';
  /** The space the route's permission was checked in, when it names one. */
  spaceId?: string;
}

export type PleinRequest = FastifyRequest & { plein?: PleinRequestState; body?: unknown };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function readPath(request: PleinRequest, locator: string): string | undefined {
  const [where, ...rest] = locator.split('.');
  const source = (where === 'params' ? request.params : where === 'query' ? request.query : request.body) as
    Record<string, unknown> | undefined;
  const value = source?.[rest.join('.')];
  return typeof value === 'string' && value ? value : undefined;
}

/**
 * One guard for every route, in this order: a disabled plugin's routes are 404; the caller is
 * identified (bearer token or session cookie); a cookie-authenticated change must carry the CSRF
 * token and come from this site; a plugin's route marked `@InSpace` answers 404 in a space that
 * turned the plugin off; then `@Public()` or `@RequirePermission` decides, and the space the
 * permission names, if any, must be visible and use the route's plugin (404 otherwise).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: PluginRegistry,
    private readonly users: UsersService,
    private readonly auth: AuthService,
    private readonly permissions: PermissionsService,
    private readonly spaces: SpacesService,
    private readonly spacePlugins: SpacePluginsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const owner = this.registry.ownerOf(context.getClass());
    if (owner && !this.registry.isActive(owner)) throw new NotFoundException();
    const request = context.switchToHttp().getRequest<PleinRequest>();
    const state = await this.identify(request);
    request.plein = state;
    if (state.via === 'session' || (state.via === 'none' && request.cookies?.[ANON_COOKIE]))
      this.checkCsrf(request, state);
    const targets = [context.getHandler(), context.getClass()];
    if (owner) await this.checkInSpace(request, state, owner, targets);
    if (this.reflector.getAllAndOverride<boolean>(METADATA.public, targets)) return true;
    const requirement = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(
      METADATA.permission,
      targets,
    );
    // Unreachable for routes that passed the boot check; refuse rather than allow.
    if (!requirement) throw new NotFoundException();
    let spaceId: string | undefined;
    if (requirement.space) {
      const ref = readPath(request, requirement.space);
      if (ref) {
        const space = await this.spaces.visibleRow(state.user, ref);
        if (!space) throw new NotFoundException('No such space, or it is private');
        spaceId = space.id;
        state.spaceId = space.id;
        // A plugin its space turned off (or the site turned off for spaces) has no routes there.
        if (owner && !(await this.spacePlugins.isEnabled(space.id, owner)))
          throw new NotFoundException(`This space does not use ${owner}`);
      }
    }
    await this.permissions.assert(state.user, requirement.name, { spaceId });
    return true;
  }

  /**
   * `@InSpace`: the route's space, found in the request or by the plugin's finder, must use the
   * plugin. Skipped while no space has the plugin off, so that the common case costs no query.
   * A reference that names no space the reader may see is left to the route.
   */
  private async checkInSpace(
    request: PleinRequest,
    state: PleinRequestState,
    owner: string,
    targets: Function[],
  ): Promise<void> {
    const where = this.reflector.getAllAndOverride<SpaceLocator | SpaceFinder | undefined>(METADATA.inSpace, targets);
    if (!where || !(await this.spacePlugins.offInSomeSpace(owner))) return;
    let ref: string | null | undefined;
    if (typeof where === 'function') {
      const plugin = this.registry.contextOf(owner);
      if (!plugin) return;
      const lookup = {
        params: (request.params ?? {}) as Record<string, string>,
        query: (request.query ?? {}) as Record<string, unknown>,
        body: request.body,
      };
      ref = await where(lookup, plugin);
    } else {
      ref = readPath(request, where);
    }
    if (!ref) return;
    const space = await this.spaces.visibleRow(state.user, ref);
    if (space && !(await this.spacePlugins.isEnabled(space.id, owner)))
      throw new NotFoundException(`This space does not use ${owner}`);
  }

  private async identify(request: PleinRequest): Promise<PleinRequestState> {
    const authorization = request.headers.authorization;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw new UnauthorizedException('Authorization: expected "Bearer <token>"');
      const user = await this.users.authenticateToken(match[1]);
      if (!user) throw new UnauthorizedException('The access token is unknown, revoked, or its user is not active');
      return { user, via: 'token' };
    }
    const session = request.cookies?.[SESSION_COOKIE];
    if (session) {
      const user = await this.auth.userForSession(session);
      if (user) return { user, via: 'session' };
    }
    return { user: null, via: 'none' };
  }

  /** Synchronizer token (header `x-csrf-token` or form field `_csrf`) plus an Origin / Sec-Fetch-Site check. */
  private checkCsrf(request: PleinRequest, state: PleinRequestState): void {
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none')
      throw new ForbiddenException('Cross-site requests cannot change anything here');
    const origin = request.headers.origin;
    if (origin && origin !== 'null') {
      const host = request.headers['x-forwarded-host'] ?? request.headers.host;
      if (new URL(origin).host !== host)
        throw new ForbiddenException(`Requests from ${origin} cannot change anything here`);
    }
    const cookie = state.via === 'session' ? request.cookies?.[SESSION_COOKIE] : request.cookies?.[ANON_COOKIE];
    const header = request.headers['x-csrf-token'];
    const presented =
      (typeof header === 'string' ? header : undefined) ??
      ((request.body as Record<string, unknown> | undefined)?._csrf as string | undefined);
    if (state.via === 'none') {
      // Before sign-in only forms that carry a token are checked (login, setup, password reset).
      if (presented === undefined) return;
    }
    if (!this.auth.csrfValid(cookie, presented))
      throw new ForbiddenException(
        'The form expired or did not come from this site: reload the page and try again (CSRF token missing or wrong)',
      );
    // The token has done its work; DTOs do not declare it.
    if (request.body && typeof request.body === 'object') delete (request.body as Record<string, unknown>)._csrf;
  }
}
