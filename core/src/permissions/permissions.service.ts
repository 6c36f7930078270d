import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Permissions, type BuiltInRole, type PermissionDefinition, type UserRef } from '@plein/sdk';

/** A permission as the catalogue lists it. */
export interface CataloguedPermission {
  name: string;
  plugin: string;
  description: string;
  defaultRoles: readonly BuiltInRole[];
}

/**
 * The permission catalogue (what core and the enabled plugins declare) and the role check.
 * `admin` holds every permission; other roles hold what the declarations grant them by default.
 */
export class PermissionsService extends Permissions {
  private readonly catalogue = new Map<string, CataloguedPermission>();
  private readonly byRole = new Map<string, Set<string>>();

  declare(plugin: string, definitions: readonly PermissionDefinition[]): void {
    for (const d of definitions) {
      this.catalogue.set(d.name, { name: d.name, plugin, description: d.description, defaultRoles: d.defaultRoles });
      for (const role of d.defaultRoles) {
        if (!this.byRole.has(role)) this.byRole.set(role, new Set());
        this.byRole.get(role)!.add(d.name);
      }
    }
  }

  list(): CataloguedPermission[] {
    return [...this.catalogue.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every permission the given roles hold. */
  permissionsOf(roles: readonly string[]): string[] {
    if (roles.includes('admin')) return [...this.catalogue.keys()].sort();
    const names = new Set<string>();
    for (const role of roles) for (const name of this.byRole.get(role) ?? []) names.add(name);
    return [...names].sort();
  }

  private rolesOf(user: UserRef | null): readonly string[] {
    if (!user) return ['anonymous'];
    const roles = (user as { roles?: string[] }).roles ?? ['member'];
    // Anything anonymous may do, a signed-in user may do too.
    return [...roles, 'anonymous'];
  }

  async can(user: UserRef | null, permission: PermissionDefinition | string): Promise<boolean> {
    const name = typeof permission === 'string' ? permission : permission.name;
    const roles = this.rolesOf(user);
    if (roles.includes('admin')) return this.catalogue.has(name);
    return roles.some((role) => this.byRole.get(role)?.has(name) ?? false);
  }

  async assert(user: UserRef | null, permission: PermissionDefinition | string): Promise<void> {
    if (await this.can(user, permission)) return;
    const name = typeof permission === 'string' ? permission : permission.name;
    if (!user) throw new UnauthorizedException(`Sign in to continue: this needs the permission '${name}'`);
    throw new ForbiddenException(`You do not have the permission '${name}'`);
  }
}
