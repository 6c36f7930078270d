import { SetMetadata } from '@nestjs/common';
import { DEFINITION_KIND, METADATA } from './metadata';
import type { PluginContext } from './plugin';
import type { UserRef } from './users';

/**
 * The roles every installation has.
 *
 * @example
 * ```ts
 * const roles: BuiltInRole[] = ['member', 'moderator'];
 * ```
 */
export type BuiltInRole = 'admin' | 'moderator' | 'member' | 'anonymous';

/**
 * A permission a plugin declares. Make one with {@link definePermission}.
 *
 * @example
 * ```ts
 * const give: PermissionDefinition = definePermission('kudos.kudo.give', { description: 'Give kudos' });
 * ```
 */
export interface PermissionDefinition {
  readonly [DEFINITION_KIND]: 'permission';
  /** `<pluginId>.<noun>.<verb>`, e.g. `forum.topic.lock`. */
  readonly name: string;
  /** What holding it allows, shown to admins who grant it. */
  readonly description: string;
  /** Built-in roles that hold it on a fresh install (admins hold every permission). */
  readonly defaultRoles: readonly BuiltInRole[];
}

/**
 * Declares a permission. List it in the plugin's `permissions`; guard routes with
 * {@link RequirePermission}.
 *
 * @example
 * ```ts
 * export const kudosPermissions = {
 *   read: definePermission('kudos.kudo.read', { description: 'See kudos', defaultRoles: ['member', 'anonymous'] }),
 *   give: definePermission('kudos.kudo.give', { description: 'Give kudos', defaultRoles: ['member'] }),
 * };
 * ```
 */
export function definePermission(
  name: string,
  options: { description: string; defaultRoles?: BuiltInRole[] },
): PermissionDefinition {
  return Object.freeze({
    [DEFINITION_KIND]: 'permission' as const,
    name,
    description: options.description,
    defaultRoles: Object.freeze([...(options.defaultRoles ?? ['member'])]),
  });
}

/**
 * Where a permission is asked about: in a space (space grants and the user's space role count),
 * and about an item someone owns (an `<x>-own` permission then suffices for its owner).
 *
 * @example
 * ```ts
 * const context: PermissionContext = { spaceId: post.spaceId, ownerId: post.authorId };
 * ```
 */
export interface PermissionContext {
  /** The space the action is in: grants scoped to that space count too. */
  spaceId?: string | null;
  /** Who owns the thing acted on: its owner may act with the permission's `-own` variant. */
  ownerId?: string | null;
}

/**
 * Answers "may this user do that?".
 *
 * @example
 * ```ts
 * constructor(private readonly permissions: Permissions) {}
 * if (!(await this.permissions.can(user, kudosPermissions.give))) throw new ForbiddenException();
 * ```
 */
export abstract class Permissions {
  /**
   * Whether `user` (null: anonymous) holds `permission`: through a global role, through their
   * role in `context.spaceId` or a grant scoped to that space, or, when `context.ownerId` is the
   * user, through the permission named `<permission>-own` (e.g. `forum.post.edit-own`).
   *
   * @example
   * ```ts
   * await permissions.can(null, 'kudos.kudo.read'); // true when anonymous may read
   * await permissions.can(user, 'forum.post.edit', { spaceId: post.spaceId, ownerId: post.authorId });
   * ```
   */
  abstract can(
    user: UserRef | null,
    permission: PermissionDefinition | string,
    context?: PermissionContext,
  ): Promise<boolean>;

  /**
   * Like {@link Permissions.can}, but throws 401 (anonymous) or 403 (signed in) when not allowed.
   *
   * @example
   * ```ts
   * await permissions.assert(user, kudosPermissions.give);
   * ```
   */
  abstract assert(
    user: UserRef | null,
    permission: PermissionDefinition | string,
    context?: PermissionContext,
  ): Promise<void>;
}

/**
 * Where {@link RequirePermission} finds the space a request is about: `params.<name>`,
 * `query.<name>` or `body.<name>`. The value may be a space id or slug.
 *
 * @example
 * ```ts
 * const where: SpaceLocator = 'body.spaceId';
 * ```
 */
export type SpaceLocator = `params.${string}` | `query.${string}` | `body.${string}`;

/** @internal What {@link RequirePermission} records. @example `{ name: 'wiki.page.edit', space: 'params.spaceId' }` */
export interface PermissionRequirement {
  name: string;
  space?: SpaceLocator;
}

/**
 * Guards a route: the caller must hold `permission` (in the request's space when `space` says
 * where to find it). Every route names a permission or is {@link Public}; a route with neither
 * fails the boot.
 *
 * @example
 * ```ts
 * @Post()
 * @RequirePermission(kudosPermissions.give)
 * give(@Body() body: GiveKudosDto, @CurrentUser() user: SignedInUser) { ... }
 *
 * @Post(':spaceId/pages')
 * @RequirePermission('wiki.page.create', { space: 'params.spaceId' })
 * create(...) { ... }
 * ```
 */
export function RequirePermission(
  permission: PermissionDefinition | string,
  options: { space?: SpaceLocator } = {},
): MethodDecorator & ClassDecorator {
  const name = typeof permission === 'string' ? permission : permission.name;
  const requirement: PermissionRequirement = { name, ...(options.space ? { space: options.space } : {}) };
  return SetMetadata(METADATA.permission, requirement);
}

/**
 * Marks a route as open to everyone, signed in or not.
 *
 * @example
 * ```ts
 * @Get('about')
 * @Public()
 * about() { return { name: 'Kudos' }; }
 * ```
 */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(METADATA.public, true);
}

/**
 * The parts of a request a {@link SpaceFinder} reads.
 *
 * @example
 * ```ts
 * const request: SpaceLookupRequest = { params: { id: '42' }, query: {}, body: undefined };
 * ```
 */
export interface SpaceLookupRequest {
  /** The route's path parameters (`:id` → `params.id`). */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** The query string, parsed. */
  readonly query: Readonly<Record<string, unknown>>;
  /** The parsed body, when the request has one. */
  readonly body: unknown;
}

/**
 * Finds the space of a route whose address names an item rather than a space (a forum topic, a
 * category): answers the space's id or slug, or null when the item is in no space or does not
 * exist (the route then answers as it would anyway). It runs before the route, with the plugin's
 * own services through `plugin.get`.
 *
 * @example
 * ```ts
 * const topicSpace: SpaceFinder = (request, plugin) =>
 *   plugin.get(ForumSpacesService).ofTopic(request.params.id);
 * ```
 */
export type SpaceFinder = (
  request: SpaceLookupRequest,
  plugin: PluginContext,
) => Promise<string | null | undefined> | string | null | undefined;

/**
 * Says which space a route is about, so that it answers `404` (a page: the theme's "not found"
 * page) in a space that turned the route's plugin off, and as before in every other space. Use it
 * on routes whose space is in their address but not in their permission: pages such as
 * `/kudos/spaces/:space`, `@Public()` routes, and routes about an item that lives in a space
 * (with a {@link SpaceFinder}). On a controller class it applies to each of its routes; a route's
 * own `@InSpace` wins. A route whose {@link RequirePermission} names a space needs none.
 *
 * The value found may be a space id or slug. When it names no space the reader may see, core leaves
 * the answer to the route.
 *
 * @example
 * ```ts
 * @Get('spaces/:space')
 * @RequirePermission(kudosPermissions.read)
 * @InSpace('params.space')
 * spaceKudos(@Param('space') space: string) { ... }
 *
 * @Get('kudos/:id')
 * @Public()
 * @InSpace((request, plugin) => plugin.get(KudosService).spaceOf(request.params.id))
 * one(@Param('id') id: string) { ... }
 * ```
 */
export function InSpace(where: SpaceLocator | SpaceFinder): MethodDecorator & ClassDecorator {
  if (typeof where !== 'function' && !/^(params|query|body)\.[^.]+$/.test(where))
    throw new TypeError(
      `@InSpace: expected 'params.<name>', 'query.<name>', 'body.<name>' or a function, found ${JSON.stringify(where)}`,
    );
  return SetMetadata(METADATA.inSpace, where);
}
