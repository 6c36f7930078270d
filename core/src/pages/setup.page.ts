import { Body, Controller, Get, Inject, NotFoundException, Post, Req, Res } from '@nestjs/common';
import { Public, redirect, Render, type PageData, type PageRedirect } from '@plein/sdk';
import type { FastifyReply } from 'fastify';
import { AuthService, SESSION_COOKIE } from '../auth/auth.service';
import { clientOf, setCookie } from '../auth/cookies';
import { DatabaseService } from '../database/database.service';
import type { PleinRequest } from '../http/access.guard';
import { I18n } from '../i18n/i18n';
import { UserRow } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { PageResult } from '../views/page-result';
import { SetupForm } from './dto/account.dto';
import { attempt, emptyForm, flashRedirect, formWithErrors, invalid, PageLocale, readForm, type FormBody, type FormState } from './page-kit';

const SESSION_SECONDS = 30 * 86_400;

/** `/setup`: the first visit of a fresh install creates the administrator and signs them in. */
@Controller('setup')
export class SetupPage {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @Public()
  @Render('core/setup')
  async form(@PageLocale() locale: string): Promise<PageData | PageRedirect> {
    if ((await this.users.count()) > 0) return redirect('/login');
    return this.page(locale, emptyForm({ locale }));
  }

  @Post()
  @Public()
  @Render('core/setup')
  async create(@Body() body: FormBody, @Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    if ((await this.users.count()) > 0) throw new NotFoundException('Plein is already set up: sign in instead');
    const read = await readForm(SetupForm, body, this.i18n, locale);
    if (!read.ok) return invalid(this.page(locale, read.form), read.form);
    const input = read.value;
    if (input.password !== input.confirm) return invalid(this.page(locale), formWithErrors(this.i18n, locale, body, [{ field: 'confirm', key: 'core.validation.confirm', params: {} }]));
    return attempt(
      async () => {
        const user = await this.auth.setupFirstAdmin({ email: input.email, handle: input.handle, displayName: input.displayName, password: input.password });
        if (input.locale) await this.db.repository(UserRow).update({ id: user.id }, { locale: input.locale });
        setCookie(reply, request, SESSION_COOKIE, await this.auth.openSession(user.id, clientOf(request)), SESSION_SECONDS);
        return flashRedirect('/', 'success', 'core.setup.welcome', { name: user.displayName });
      },
      this.i18n,
      locale,
      body,
      (form, status) => invalid(this.page(locale), form, status),
    );
  }

  private page(locale: string, form?: FormState): PageData {
    return { title: this.i18n.t(locale, 'core.setup.title'), ...(form ? { form } : {}) };
  }
}
