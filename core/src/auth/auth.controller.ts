import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { CurrentUser, InvalidInput, Public, RequirePermission, type SignedInUser } from '@plein/sdk';
import { verifyPassword } from '../users/passwords';
import type { FastifyReply } from 'fastify';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PLEIN_CONFIG } from '../config/config.token';
import type { PleinConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import type { PleinRequest } from '../http/access.guard';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { TokenRow, UserRow } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ANON_COOKIE, AuthService, SESSION_COOKIE } from './auth.service';
import { CreateTokenDto, LoginDto, SetupDto, UpdateMeDto } from './dto/auth.dto';
import { clientOf, setCookie } from './cookies';

@Controller('api/v1')
export class AuthController {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(PLEIN_CONFIG) private readonly config: PleinConfig,
  ) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  async login(@Body() body: LoginDto, @Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { token, user } = await this.auth.login(body.email, body.password, clientOf(request));
    setCookie(reply, request, SESSION_COOKIE, token, 30 * 86_400);
    return { user: this.me(user) };
  }

  @Post('auth/logout')
  @HttpCode(204)
  @Public()
  async logout(@Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    setCookie(reply, request, SESSION_COOKIE, '', 0);
  }

  /** The CSRF token for this browser (a cookie-authenticated change must send it as `x-csrf-token`). */
  @Get('auth/csrf')
  @Public()
  csrf(@Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const session = request.plein?.via === 'session' ? request.cookies?.[SESSION_COOKIE] : undefined;
    let basis = session ?? request.cookies?.[ANON_COOKIE];
    if (!basis) {
      basis = this.auth.newAnonymousId();
      setCookie(reply, request, ANON_COOKIE, basis, 86_400);
    }
    return { token: this.auth.csrfToken(basis) };
  }

  /** First-run setup: creates the administrator while no user exists, and signs them in. */
  @Post('auth/setup')
  @Public()
  async setup(@Body() body: SetupDto, @Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const user = await this.auth.setupFirstAdmin(body);
    setCookie(reply, request, SESSION_COOKIE, await this.auth.openSession(user.id, clientOf(request)), 30 * 86_400);
    return { user: this.me(user) };
  }

  @Get('auth/setup')
  @Public()
  async setupState() {
    return { needed: (await this.users.count()) === 0 };
  }

  @Post('auth/tokens')
  @RequirePermission(corePermissions.useAccount)
  async createToken(@Body() body: CreateTokenDto, @CurrentUser() user: SignedInUser) {
    const issued = await this.users.issueToken(user.id, body.name, body.scopes ?? []);
    await this.audit.record('core', { action: 'core.token.created', subject: `token:${issued.id}`, actorId: user.id });
    return issued;
  }

  @Get('auth/tokens')
  @RequirePermission(corePermissions.useAccount)
  async tokens(@CurrentUser() user: SignedInUser) {
    const rows = await this.db.repository(TokenRow).find({ where: { userId: user.id, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
    return { items: rows.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt.toISOString(), lastUsedAt: t.lastUsedAt?.toISOString() ?? null })), nextCursor: null };
  }

  @Delete('auth/tokens/:id')
  @HttpCode(204)
  @RequirePermission(corePermissions.useAccount)
  async revokeToken(@Param('id') id: string, @CurrentUser() user: SignedInUser) {
    const revoked = await this.db.repository(TokenRow).update({ id, userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!revoked.affected) throw new NotFoundException('No such token of yours');
    await this.audit.record('core', { action: 'core.token.revoked', subject: `token:${id}`, actorId: user.id });
  }

  @Get('me')
  @RequirePermission(corePermissions.useAccount)
  getMe(@CurrentUser() user: SignedInUser) {
    return this.me(user);
  }

  @Patch('me')
  @RequirePermission(corePermissions.useAccount)
  async updateMe(@Body() body: UpdateMeDto, @CurrentUser() user: SignedInUser) {
    const change: Partial<UserRow> = {};
    if (body.displayName !== undefined) change.displayName = body.displayName.trim();
    if (body.locale !== undefined) change.locale = body.locale;
    if (Object.keys(change).length) await this.db.repository(UserRow).update({ id: user.id }, { ...change, updatedAt: new Date() });
    if (body.password !== undefined) {
      const row = await this.db.repository(UserRow).findOneByOrFail({ id: user.id });
      if (!row.passwordHash || !(await verifyPassword(row.passwordHash, body.currentPassword ?? ''))) {
        throw new InvalidInput([{ field: 'currentPassword', message: 'is not your current password' }]);
      }
      await this.auth.changePassword(user.id, body.password);
      await this.audit.record('core', { action: 'core.password.changed', subject: `user:${user.id}`, actorId: user.id });
    }
    return this.me((await this.users.signedIn(user.id))!);
  }

  private me(user: SignedInUser) {
    return {
      id: user.id,
      email: user.email,
      handle: user.handle,
      displayName: user.displayName,
      roles: user.roles,
      locale: user.locale,
      permissions: this.permissions.permissionsOf(user.roles),
    };
  }
}
