import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import type { FastifyReply } from 'fastify';
import { IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { clientOf, setCookie } from '../auth/cookies';
import { DatabaseService } from '../database/database.service';
import type { PleinRequest } from '../http/access.guard';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { SpacesService } from '../spaces/spaces.service';
import { verifyPassword } from '../users/passwords';
import { TokenRow, UserRow } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { PageResult } from '../views/page-result';
import { ChangePasswordForm, ProfileForm, TokenForm } from './dto/account.dto';
import { attempt, emptyForm, flashRedirect, formWithErrors, invalid, PageLocale, readForm, signedIn, type FormBody, type FormState } from './page-kit';

const SESSION_SECONDS = 30 * 86_400;

interface ProfileForms {
  profile?: FormState;
  password?: FormState;
  token?: FormState;
  newToken?: { name: string; token: string };
}

/** `/profile` (one's own: name, language, password, access tokens) and `/users/:handle` (a colleague's). */
@Controller()
export class ProfilePage {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get('profile')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/profile')
  async profile(@CurrentUser() user: SignedInUser | null, @PageLocale() locale: string): Promise<PageData> {
    return this.page(signedIn(user), locale, {});
  }

  @Post('profile')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/profile')
  async saveProfile(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const read = await readForm(ProfileForm, body, this.i18n, locale);
    if (!read.ok) return invalid(await this.page(user, locale, { profile: read.form }), read.form);
    await this.db.repository(UserRow).update({ id: user.id }, { displayName: read.value.displayName.trim(), locale: read.value.locale || null, updatedAt: new Date() });
    return flashRedirect('/profile', 'success', 'core.profile.saved');
  }

  @Post('profile/password')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/profile')
  async changePassword(
    @Body() body: FormBody,
    @CurrentUser() current: SignedInUser | null,
    @Req() request: PleinRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @PageLocale() locale: string,
  ): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const again = async (form: FormState, status = 422) => invalid(await this.page(user, locale, { password: form }), form, status);
    const read = await readForm(ChangePasswordForm, body, this.i18n, locale);
    if (!read.ok) return again(read.form);
    const row = await this.db.repository(UserRow).findOneByOrFail({ id: user.id });
    if (row.passwordHash && !(await verifyPassword(row.passwordHash, read.value.current ?? ''))) {
      return again(formWithErrors(this.i18n, locale, body, [{ field: 'current', key: 'core.validation.currentPassword', params: {} }]));
    }
    if (read.value.password !== read.value.confirm) return again(formWithErrors(this.i18n, locale, body, [{ field: 'confirm', key: 'core.validation.confirm', params: {} }]));
    return attempt(
      async () => {
        // Changing the password ends every session, this one too: open a new one for this browser.
        await this.auth.changePassword(user.id, read.value.password);
        await this.audit.record('core', { action: 'core.password.changed', subject: `user:${user.id}`, actorId: user.id });
        if (request.plein?.via === 'session') setCookie(reply, request, SESSION_COOKIE, await this.auth.openSession(user.id, clientOf(request)), SESSION_SECONDS);
        return flashRedirect('/profile', 'success', 'core.profile.passwordChanged');
      },
      this.i18n,
      locale,
      body,
      again,
    );
  }

  /** Creates a personal access token and shows it, once, on the page this answers with. */
  @Post('profile/tokens')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/profile')
  async createToken(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult> {
    const user = signedIn(current);
    const read = await readForm(TokenForm, body, this.i18n, locale);
    if (!read.ok) return invalid(await this.page(user, locale, { token: read.form }), read.form);
    const issued = await this.users.issueToken(user.id, read.value.name.trim());
    await this.audit.record('core', { action: 'core.token.created', subject: `token:${issued.id}`, actorId: user.id });
    return this.page(user, locale, { newToken: { name: read.value.name.trim(), token: issued.token } });
  }

  @Post('profile/tokens/:id/revoke')
  @RequirePermission(corePermissions.useAccount)
  async revokeToken(@Param('id') id: string, @CurrentUser() current: SignedInUser | null): Promise<PageRedirect> {
    const user = signedIn(current);
    const revoked = await this.db.repository(TokenRow).update({ id, userId: user.id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!revoked.affected) throw new NotFoundException('No such token of yours');
    await this.audit.record('core', { action: 'core.token.revoked', subject: `token:${id}`, actorId: user.id });
    return flashRedirect('/profile', 'success', 'core.profile.tokenRevoked');
  }

  @Get('users/:handle')
  @RequirePermission(corePermissions.readUsers)
  @Render('core/user')
  async colleague(@Param('handle') handle: string, @CurrentUser() viewer: SignedInUser | null): Promise<PageData> {
    const row = await this.db.repository(UserRow).findOneBy({ handle: handle.toLowerCase() });
    if (!row || row.status === 'deactivated') throw new NotFoundException(`No user '${handle}'`);
    const spaces = [];
    for (const spaceId of await this.spaces.memberOf(row.id)) {
      const space = await this.spaces.visibleRow(viewer, spaceId);
      if (space) spaces.push({ slug: space.slug, name: space.name });
    }
    return {
      title: row.displayName,
      person: { handle: row.handle, displayName: row.displayName, since: row.createdAt, status: row.status },
      spaces: spaces.sort((a, b) => a.name.localeCompare(b.name)),
      own: viewer?.id === row.id,
    };
  }

  private async page(user: SignedInUser, locale: string, forms: ProfileForms): Promise<PageData> {
    const row = await this.db.repository(UserRow).findOneByOrFail({ id: user.id });
    const tokens = await this.db.repository(TokenRow).find({ where: { userId: user.id, revokedAt: IsNull() }, order: { createdAt: 'DESC' } });
    return {
      title: this.i18n.t(locale, 'core.profile.title'),
      me: { handle: row.handle, email: row.email, displayName: row.displayName, locale: row.locale ?? '' },
      profileForm: forms.profile ?? emptyForm({ displayName: row.displayName, locale: row.locale ?? '' }),
      passwordForm: forms.password ?? emptyForm(),
      tokenForm: forms.token ?? emptyForm(),
      hasPassword: row.passwordHash !== null,
      newToken: forms.newToken ?? null,
      tokens: tokens.map((t) => ({ id: t.id, name: t.name, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt })),
    };
  }
}
