import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import type { PageResult } from '../views/page-result';
import { NewRoleForm, RoleGrantsForm } from './dto/admin.dto';
import { attempt, emptyForm, flashRedirect, invalid, PageLocale, readForm, signedIn, type FormBody, type FormState } from './page-kit';

/**
 * `/admin/roles`: the roles × permissions matrix. Each role's column is one form (its checkboxes
 * name the form with the `form` attribute), saved with PermissionsService.setRolePermissions.
 */
@Controller('admin/roles')
export class AdminRolesPage {
  constructor(
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(corePermissions.manageRoles)
  @Render('core/admin/roles')
  async matrix(@PageLocale() locale: string): Promise<PageData> {
    return this.page(locale);
  }

  @Post()
  @RequirePermission(corePermissions.manageRoles)
  @Render('core/admin/roles')
  async createRole(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const again = async (form: FormState, status = 422) => invalid(await this.page(locale, form), form, status);
    const read = await readForm(NewRoleForm, body, this.i18n, locale);
    if (!read.ok) return again(read.form);
    return attempt(
      async () => {
        const role = await this.permissions.createRole(read.value.name.trim(), read.value.description?.trim() || null);
        await this.audit.record('core', { action: 'core.role.created', subject: `role:${role.name}`, actorId: user.id });
        return flashRedirect('/admin/roles', 'success', 'core.admin.roles.created', { name: role.name });
      },
      this.i18n,
      locale,
      body,
      again,
    );
  }

  /** The same change and audit entry as `PUT /api/v1/roles/:id/permissions`. */
  @Post(':role/permissions')
  @RequirePermission(corePermissions.manageRoles)
  @Render('core/admin/roles')
  async setPermissions(@Param('role') role: string, @Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const again = async (form: FormState, status = 422) => invalid(await this.page(locale, undefined, form), form, status);
    const read = await readForm(RoleGrantsForm, body, this.i18n, locale);
    if (!read.ok) return again(read.form);
    return attempt(
      async () => {
        const before = (await this.permissions.listRoles()).find((r) => r.name === role)?.permissions ?? [];
        const permissions = await this.permissions.setRolePermissions(role, read.value.permissions, null);
        await this.audit.record('core', {
          action: 'core.role.grants-changed',
          subject: `role:${role}`,
          actorId: user.id,
          details: { spaceId: null, added: permissions.filter((p) => !before.includes(p)), removed: before.filter((p) => !permissions.includes(p)) },
        });
        return flashRedirect('/admin/roles', 'success', 'core.admin.roles.saved', { name: role });
      },
      this.i18n,
      locale,
      body,
      again,
    );
  }

  private async page(locale: string, roleForm?: FormState, grantsForm?: FormState): Promise<PageData> {
    const roles = await this.permissions.listRoles();
    const catalogue = this.permissions.list();
    const plugins = [...new Set(catalogue.map((p) => p.plugin))];
    return {
      title: this.i18n.t(locale, 'core.admin.roles.title'),
      roles: roles.map((r) => ({
        name: r.name,
        description: r.description,
        builtin: r.builtin,
        locked: r.name === 'admin',
      })),
      groups: plugins.map((plugin) => ({
        plugin,
        permissions: catalogue
          .filter((p) => p.plugin === plugin)
          .map((p) => ({
            name: p.name,
            description: this.i18n.has(`${p.name}.description`, locale) ? this.i18n.t(locale, `${p.name}.description`) : p.description,
            cells: roles.map((r) => ({ role: r.name, checked: r.permissions.includes(p.name), locked: r.name === 'admin' })),
          })),
      })),
      form: roleForm ?? emptyForm(),
      grantsForm: grantsForm ?? null,
    };
  }
}
