import { randomUUID } from 'node:crypto';
import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { InvalidInput, Permissions, type BuiltInRole, type Clock, type PermissionContext, type PermissionDefinition, type SpaceRole, type UserRef } from '@plein/sdk';
import { In, IsNull } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { GrantRow, PermissionSeedRow, RoleRow } from './role.entities';

/** A permission as the catalogue lists it. */
export interface CataloguedPermission {
  name: string;
  plugin: string;
  description: string;
  defaultRoles: readonly BuiltInRole[];
}

export const BUILT_IN_ROLES: ReadonlyArray<{ name: BuiltInRole; description: string }> = [
  { name: 'admin', description: 'Site administrators: every permission, everywhere' },
  { name: 'moderator', description: 'Moderators: keep the conversation healthy' },
  { name: 'member', description: 'Every signed-in person' },
  { name: 'anonymous', description: 'Visitors who are not signed in (signed-in people hold these too)' },
];

export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

type SpaceRoleLookup = (userId: string, spaceId: string) => Promise<SpaceRole | null>;

/**
 * The permission catalogue (what core and the enabled plugins declare) and the decision.
 * Grants live in `core_grant`: a role holds a permission everywhere or in one space. A user holds
 * their global roles' grants everywhere, and in a space also the grants of their space role
 * (`member`, `moderator`) and every grant scoped to that space; a space admin holds every plugin
 * permission in their space. Grants are cached and re-read on change and on every state poll.
 */
export class PermissionsService extends Permissions {
  private readonly catalogue = new Map<string, CataloguedPermission>();
  private global = new Map<string, Set<string>>();
  private scoped = new Map<string, Map<string, Set<string>>>();
  private roleNames = new Set<string>();

  constructor(
    private readonly db: DatabaseService | null = null,
    private readonly clock: Clock | null = null,
    private spaceRoleOf: SpaceRoleLookup = async () => null,
  ) {
    super();
  }

  useSpaceRoles(lookup: SpaceRoleLookup): void {
    this.spaceRoleOf = lookup;
  }

  declare(plugin: string, definitions: readonly PermissionDefinition[]): void {
    for (const d of definitions) this.catalogue.set(d.name, { name: d.name, plugin, description: d.description, defaultRoles: d.defaultRoles });
  }

  list(): CataloguedPermission[] {
    return [...this.catalogue.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  isDeclared(name: string): boolean {
    return this.catalogue.has(name);
  }

  roles(): string[] {
    return [...this.roleNames].sort();
  }

  /** Creates the built-in roles and applies each permission's default grants once. */
  async seed(): Promise<void> {
    const db = this.db!;
    const now = this.clock!.now();
    await db.transaction(async (m) => {
      const existing = new Set((await m.find(RoleRow)).map((r) => r.name));
      for (const role of BUILT_IN_ROLES) {
        if (!existing.has(role.name)) await m.insert(RoleRow, { name: role.name, description: role.description, builtin: true, createdAt: now });
      }
      const seeded = new Set((await m.find(PermissionSeedRow)).map((s) => s.permission));
      for (const p of this.catalogue.values()) {
        if (seeded.has(p.name)) continue;
        for (const role of p.defaultRoles) {
          if (role === 'admin') continue;
          if (!(await m.existsBy(GrantRow, { role, permission: p.name, spaceId: IsNull() }))) {
            await m.insert(GrantRow, { id: randomUUID(), role, permission: p.name, spaceId: null });
          }
        }
        await m.insert(PermissionSeedRow, { permission: p.name, seededAt: now });
      }
    });
    await this.reload();
  }

  /** Re-reads roles and grants (after a change here, or on another instance). */
  async reload(): Promise<void> {
    const db = this.db!;
    const [roles, grants] = await Promise.all([db.repository(RoleRow).find(), db.repository(GrantRow).find()]);
    const global = new Map<string, Set<string>>();
    const scoped = new Map<string, Map<string, Set<string>>>();
    for (const g of grants) {
      const target = g.spaceId ? (scoped.get(g.spaceId) ?? scoped.set(g.spaceId, new Map()).get(g.spaceId)!) : global;
      (target.get(g.role) ?? target.set(g.role, new Set()).get(g.role)!).add(g.permission);
    }
    this.global = global;
    this.scoped = scoped;
    this.roleNames = new Set(roles.map((r) => r.name));
  }

  /** Every permission the given global roles hold everywhere. */
  permissionsOf(roles: readonly string[]): string[] {
    if (roles.includes('admin')) return [...this.catalogue.keys()].sort();
    const names = new Set<string>();
    for (const role of [...roles, 'anonymous']) for (const name of this.global.get(role) ?? []) if (this.catalogue.has(name)) names.add(name);
    return [...names].sort();
  }

  private rolesOf(user: UserRef | null): string[] {
    if (!user) return ['anonymous'];
    // Every signed-in person is a member; what anonymous visitors may do, they may do too.
    return [...((user as { roles?: string[] }).roles ?? []), 'member', 'anonymous'];
  }

  private async holds(user: UserRef | null, name: string, spaceId: string | null | undefined): Promise<boolean> {
    if (!this.catalogue.has(name)) return false;
    const roles = this.rolesOf(user);
    if (roles.includes('admin')) return true;
    if (roles.some((r) => this.global.get(r)?.has(name))) return true;
    if (!spaceId) return false;
    const spaceRole = user ? await this.spaceRoleOf(user.id, spaceId) : null;
    if (spaceRole === 'admin' && (!name.startsWith('core.') || name === 'core.space.manage')) return true;
    const inSpace = spaceRole ? [...roles, spaceRole] : roles;
    if (spaceRole && this.global.get(spaceRole)?.has(name)) return true;
    const grants = this.scoped.get(spaceId);
    return inSpace.some((r) => grants?.get(r)?.has(name) ?? false);
  }

  async can(user: UserRef | null, permission: PermissionDefinition | string, context: PermissionContext = {}): Promise<boolean> {
    const name = typeof permission === 'string' ? permission : permission.name;
    if (await this.holds(user, name, context.spaceId)) return true;
    return Boolean(user && context.ownerId && context.ownerId === user.id && (await this.holds(user, `${name}-own`, context.spaceId)));
  }

  async assert(user: UserRef | null, permission: PermissionDefinition | string, context: PermissionContext = {}): Promise<void> {
    if (await this.can(user, permission, context)) return;
    const name = typeof permission === 'string' ? permission : permission.name;
    if (!user) throw new UnauthorizedException(`Sign in to continue: this needs the permission '${name}'`);
    throw new ForbiddenException(`You do not have the permission '${name}'`);
  }

  // ----- administration: roles and the grant matrix

  async createRole(name: string, description: string | null): Promise<RoleRow> {
    if (!ROLE_NAME_PATTERN.test(name)) throw new InvalidInput([{ field: 'name', message: 'must be 2–32 characters: a-z, 0-9 and dashes, starting with a letter' }]);
    const repo = this.db!.repository(RoleRow);
    if (await repo.existsBy({ name })) throw new InvalidInput([{ field: 'name', message: 'is already taken' }]);
    const row: RoleRow = { name, description, builtin: false, createdAt: this.clock!.now() };
    await repo.insert(row);
    await this.reload();
    return row;
  }

  async listRoles(): Promise<Array<RoleRow & { permissions: string[] }>> {
    const roles = await this.db!.repository(RoleRow).find({ order: { builtin: 'DESC', name: 'ASC' } });
    return roles.map((r) => ({ ...r, permissions: r.name === 'admin' ? [...this.catalogue.keys()].sort() : [...(this.global.get(r.name) ?? [])].filter((p) => this.catalogue.has(p)).sort() }));
  }

  /** Replaces a role's global grants (the admin matrix editor and `PUT /roles/:id/permissions`). */
  async setRolePermissions(role: string, permissions: string[], spaceId: string | null = null): Promise<string[]> {
    if (!this.roleNames.has(role)) throw new InvalidInput([{ field: 'role', message: `no role named '${role}'` }]);
    if (role === 'admin') throw new InvalidInput([{ field: 'role', message: 'admin holds every permission and cannot be changed' }]);
    const unknown = permissions.filter((p) => !this.catalogue.has(p));
    if (unknown.length) throw new InvalidInput(unknown.map((p) => ({ field: 'permissions', message: `no permission named '${p}'` })));
    const wanted = [...new Set(permissions)].sort();
    await this.db!.transaction(async (m) => {
      await m.delete(GrantRow, { role, spaceId: spaceId ?? IsNull(), permission: In([...this.catalogue.keys()]) });
      for (const permission of wanted) await m.insert(GrantRow, { id: randomUUID(), role, permission, spaceId });
    });
    await this.reload();
    return wanted;
  }
}
