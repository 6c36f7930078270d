import { Body, Controller, Get, Inject, Param, Post, Put } from '@nestjs/common';
import { CurrentUser, RequirePermission, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { corePermissions } from './core-permissions';
import { CreateRoleDto, SetPermissionsDto } from './dto/role.dto';
import { PermissionsService } from './permissions.service';

@Controller('api/v1')
export class PermissionsController {
  constructor(
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  /** Every permission core and the enabled plugins declare. */
  @Get('permissions')
  @RequirePermission(corePermissions.useAccount)
  list() {
    return { items: this.permissions.list().map((p) => ({ name: p.name, plugin: p.plugin, description: p.description })), nextCursor: null };
  }

  @Get('roles')
  @RequirePermission(corePermissions.manageRoles)
  async roles() {
    const roles = await this.permissions.listRoles();
    return { items: roles.map((r) => ({ id: r.name, name: r.name, description: r.description, builtin: r.builtin, permissions: r.permissions })), nextCursor: null };
  }

  @Post('roles')
  @RequirePermission(corePermissions.manageRoles)
  async createRole(@Body() body: CreateRoleDto, @CurrentUser() user: SignedInUser) {
    const role = await this.permissions.createRole(body.name, body.description ?? null);
    await this.audit.record('core', { action: 'core.role.created', subject: `role:${role.name}`, actorId: user.id });
    return { id: role.name, name: role.name, description: role.description, builtin: false, permissions: [] };
  }

  @Put('roles/:id/permissions')
  @RequirePermission(corePermissions.manageRoles)
  async setPermissions(@Param('id') role: string, @Body() body: SetPermissionsDto, @CurrentUser() user: SignedInUser) {
    const before = (await this.permissions.listRoles()).find((r) => r.name === role)?.permissions ?? [];
    const permissions = await this.permissions.setRolePermissions(role, body.permissions, body.spaceId ?? null);
    await this.audit.record('core', {
      action: 'core.role.grants-changed',
      subject: `role:${role}`,
      actorId: user.id,
      details: { spaceId: body.spaceId ?? null, added: permissions.filter((p) => !before.includes(p)), removed: before.filter((p) => !permissions.includes(p)) },
    });
    return { id: role, permissions };
  }
}
