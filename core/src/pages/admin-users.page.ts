import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type FieldProblem, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { DatabaseService } from '../database/database.service';
import { I18n } from '../i18n/i18n';
import { fromFieldProblems } from '../i18n/validation-messages';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { hashPassword } from '../users/passwords';
import { UserRow } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { PageResult } from '../views/page-result';
import { NewUserForm, UserAccessForm } from './dto/admin.dto';
import { attempt, emptyForm, flashRedirect, formWithErrors, invalid, PageLocale, readForm, signedIn, type FormBody, type FormState } from './page-kit';

const PAGE_SIZE = 50;
const STATUSES = ['active', 'suspended', 'deactivated'] as const;

/** `/admin/users`: every account, create one, change roles and status (suspending ends sessions). */
@Controller('admin/users')
export class AdminUsersPage {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(corePermissions.manageUsers)
  @Render('core/admin/users')
  async list(@PageLocale() locale: string, @Query('after') after?: unknown): Promise<PageData> {
    return this.page(locale, typeof after === 'string' ? after : undefined);
  }

  @Post()
  @RequirePermission(corePermissions.manageUsers)
  @Render('core/admin/users')
  async create(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const actor = signedIn(current);
    const again = async (form: FormState, status = 422) => invalid(await this.page(locale, undefined, form), form, status);
    const read = await readForm(NewUserForm, body, this.i18n, locale);
    if (!read.ok) return again(read.form);
    const unknown = this.unknownRoles(read.value.roles);
    if (unknown.length) return again(formWithErrors(this.i18n, locale, body, fromFieldProblems(unknown)));
    return attempt(
      async () => {
        const { email, handle, displayName, password, roles } = read.value;
        const user = await this.users.create({ email, handle, displayName, roles, passwordHash: password ? await hashPassword(password) : null });
        await this.audit.record('core', { action: 'core.user.created', subject: `user:${user.id}`, actorId: actor.id, details: { roles: user.roles } });
        return flashRedirect('/admin/users', 'success', 'core.admin.users.created', { name: user.displayName });
      },
      this.i18n,
      locale,
      body,
      again,
    );
  }

  /** The same checks, change, session ending and audit entries as `PATCH /api/v1/users/:id`. */
  @Post(':id')
  @RequirePermission(corePermissions.manageUsers)
  async update(@Param('id') id: string, @Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageRedirect> {
    const actor = signedIn(current);
    const row = await this.db.repository(UserRow).findOneBy({ id });
    if (!row) throw new NotFoundException(`No user with the id '${id}'`);
    const read = await readForm(UserAccessForm, body, this.i18n, locale);
    const problems: FieldProblem[] = read.ok ? this.unknownRoles(read.value.roles) : [];
    if (read.ok && id === actor.id && read.value.status !== 'active') problems.push({ field: 'status', message: 'you cannot suspend or deactivate yourself' });
    if (read.ok && id === actor.id && !read.value.roles.includes('admin')) problems.push({ field: 'roles', message: 'you cannot take the admin role from yourself' });
    if (!read.ok || problems.length) {
      const message = read.ok ? formWithErrors(this.i18n, locale, body, fromFieldProblems(problems)).summary[0].message : read.form.summary[0].message;
      return flashRedirect(`/admin/users#user-${id}`, 'error', 'core.admin.users.notSaved', { name: row.displayName, reason: message });
    }
    const roles = read.value.roles.length ? [...new Set(read.value.roles)] : ['member'];
    const status = read.value.status;
    await this.db.repository(UserRow).update({ id }, { roles, status, updatedAt: new Date() });
    if (status !== 'active') await this.auth.endSessions(id);
    const rolesChanged = roles.join(',') !== row.roles.join(',');
    if (rolesChanged) await this.audit.record('core', { action: 'core.user.roles-changed', subject: `user:${id}`, actorId: actor.id, details: { from: row.roles, to: roles } });
    if (status !== row.status) await this.audit.record('core', { action: 'core.user.status-changed', subject: `user:${id}`, actorId: actor.id, details: { from: row.status, to: status } });
    return flashRedirect(`/admin/users#user-${id}`, 'success', 'core.admin.users.saved', { name: row.displayName });
  }

  private unknownRoles(roles: string[]): FieldProblem[] {
    const known = new Set(this.permissions.roles());
    return roles.filter((r) => !known.has(r) || r === 'anonymous').map((r) => ({ field: 'roles', message: `no role named '${r}'` }));
  }

  private async page(locale: string, after?: string, form?: FormState): Promise<PageData> {
    const qb = this.db.repository(UserRow).createQueryBuilder('u').orderBy('u.handle', 'ASC').limit(PAGE_SIZE + 1);
    if (after) qb.where('u.handle > :handle', { handle: after });
    const rows = await qb.getMany();
    const page = rows.slice(0, PAGE_SIZE);
    const roles = this.permissions.roles().filter((r) => r !== 'anonymous');
    return {
      title: this.i18n.t(locale, 'core.admin.users.title'),
      users: page.map((u) => ({
        id: u.id,
        handle: u.handle,
        displayName: u.displayName,
        email: u.email,
        createdAt: u.createdAt,
        roles: roles.map((name) => ({ name, checked: u.roles.includes(name) })),
        statuses: STATUSES.map((value) => ({ value, label: this.i18n.t(locale, `core.admin.users.status.${value}`), selected: value === u.status })),
        statusLabel: this.i18n.t(locale, `core.admin.users.status.${u.status}`),
      })),
      roleNames: roles,
      next: rows.length > PAGE_SIZE ? `/admin/users?after=${encodeURIComponent(page[page.length - 1].handle)}` : null,
      form: form ?? emptyForm({ roles: ['member'] }),
    };
  }
}
