import { Body, Controller, Get, Inject, NotFoundException, Param, Patch, Post, Query } from '@nestjs/common';
import { CurrentUser, decodeCursor, encodeCursor, InvalidInput, parseLimit, RequirePermission, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { DatabaseService } from '../database/database.service';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { hashPassword } from './passwords';
import { CreateUserDto, UpdateUserDto } from './dto/user.dto';
import { UserRow } from './user.entity';
import { UsersService } from './users.service';

export function describeUser(u: UserRow, full = false) {
  return {
    id: u.id,
    handle: u.handle,
    displayName: u.displayName,
    ...(full ? { email: u.email, roles: u.roles, status: u.status, locale: u.locale, createdAt: u.createdAt.toISOString() } : {}),
  };
}

@Controller('api/v1/users')
export class UsersController {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(DatabaseService) private readonly db: DatabaseService,
  ) {}

  @Get()
  @RequirePermission(corePermissions.manageUsers)
  async list(@Query('limit') limitParam?: string, @Query('cursor') cursorParam?: string) {
    const limit = parseLimit(limitParam);
    const after = decodeCursor<{ handle: string }>(cursorParam);
    const qb = this.db.repository(UserRow).createQueryBuilder('u').orderBy('u.handle', 'ASC').limit(limit + 1);
    if (after) qb.where('u.handle > :handle', { handle: String(after.handle) });
    const rows = await qb.getMany();
    const page = rows.slice(0, limit);
    return { items: page.map((u) => describeUser(u, true)), nextCursor: rows.length > limit ? encodeCursor({ handle: page[page.length - 1].handle }) : null };
  }

  @Post()
  @RequirePermission(corePermissions.manageUsers)
  async create(@Body() body: CreateUserDto, @CurrentUser() actor: SignedInUser) {
    this.checkRoles(body.roles);
    const user = await this.users.create({ ...body, passwordHash: body.password ? await hashPassword(body.password) : null });
    await this.audit.record('core', { action: 'core.user.created', subject: `user:${user.id}`, actorId: actor.id, details: { roles: user.roles } });
    return describeUser((await this.db.repository(UserRow).findOneByOrFail({ id: user.id })), true);
  }

  @Get(':id')
  @RequirePermission(corePermissions.readUsers)
  async one(@Param('id') id: string) {
    const row = (await this.db.repository(UserRow).findOneBy({ id })) ?? (await this.db.repository(UserRow).findOneBy({ handle: id.toLowerCase() }));
    if (!row || row.status === 'deactivated') throw new NotFoundException(`No user '${id}'`);
    return describeUser(row);
  }

  @Patch(':id')
  @RequirePermission(corePermissions.manageUsers)
  async update(@Param('id') id: string, @Body() body: UpdateUserDto, @CurrentUser() actor: SignedInUser) {
    const row = await this.db.repository(UserRow).findOneBy({ id });
    if (!row) throw new NotFoundException(`No user with the id '${id}'`);
    this.checkRoles(body.roles);
    if (id === actor.id && (body.status && body.status !== 'active')) throw new InvalidInput([{ field: 'status', message: 'you cannot suspend or deactivate yourself' }]);
    if (id === actor.id && body.roles && !body.roles.includes('admin')) throw new InvalidInput([{ field: 'roles', message: 'you cannot take the admin role from yourself' }]);
    const change: Partial<UserRow> = { updatedAt: new Date() };
    if (body.displayName !== undefined) change.displayName = body.displayName.trim();
    if (body.roles !== undefined) change.roles = body.roles.length ? [...new Set(body.roles)] : ['member'];
    if (body.status !== undefined) change.status = body.status;
    await this.db.repository(UserRow).update({ id }, change);
    if (body.status && body.status !== 'active') await this.auth.endSessions(id);
    if (body.roles) await this.audit.record('core', { action: 'core.user.roles-changed', subject: `user:${id}`, actorId: actor.id, details: { from: row.roles, to: change.roles } });
    if (body.status && body.status !== row.status) await this.audit.record('core', { action: 'core.user.status-changed', subject: `user:${id}`, actorId: actor.id, details: { from: row.status, to: body.status } });
    return describeUser((await this.db.repository(UserRow).findOneByOrFail({ id })), true);
  }

  private checkRoles(roles: string[] | undefined): void {
    const known = new Set(this.permissions.roles());
    const unknown = (roles ?? []).filter((r) => !known.has(r) || r === 'anonymous');
    if (unknown.length) throw new InvalidInput(unknown.map((r) => ({ field: 'roles', message: `no role named '${r}'` })));
  }
}
