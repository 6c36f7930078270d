import { Body, Controller, Get, Inject, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { CurrentUser, Public, redirect, Render, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import type { FastifyReply } from 'fastify';
import { AuthService, SESSION_COOKIE, TooManyAttempts } from '../auth/auth.service';
import { clientOf, setCookie } from '../auth/cookies';
import type { PleinRequest } from '../http/access.guard';
import { I18n } from '../i18n/i18n';
import { UsersService } from '../users/users.service';
import { localPath, type PageResult } from '../views/page-result';
import { LoginForm } from './dto/account.dto';
import { emptyForm, flashRedirect, formError, invalid, PageLocale, readForm, type FormBody } from './page-kit';

const SESSION_SECONDS = 30 * 86_400;

/** `/login` and `POST /logout`. `?next=` is followed only when it is a path on this site. */
@Controller()
export class SessionPage {
  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get('login')
  @Public()
  @Render('core/login')
  async form(@CurrentUser() user: SignedInUser | null, @PageLocale() locale: string, @Query('next') next?: unknown): Promise<PageData | PageRedirect> {
    const target = localPath(next);
    if (user) return redirect(target ?? '/');
    if ((await this.users.count()) === 0) return redirect('/setup');
    return { title: this.i18n.t(locale, 'core.login.title'), form: emptyForm({ next: target ?? '' }) };
  }

  @Post('login')
  @Public()
  @Render('core/login')
  async login(@Body() body: FormBody, @Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const page = { title: this.i18n.t(locale, 'core.login.title') };
    const read = await readForm(LoginForm, body, this.i18n, locale);
    if (!read.ok) return invalid(page, read.form);
    try {
      const { token, user } = await this.auth.login(read.value.email, read.value.password, clientOf(request));
      setCookie(reply, request, SESSION_COOKIE, token, SESSION_SECONDS);
      return flashRedirect(localPath(read.value.next) ?? '/', 'success', 'core.login.welcome', { name: user.displayName });
    } catch (error) {
      if (error instanceof TooManyAttempts) {
        const minutes = Math.max(1, Math.ceil(error.retryAfter / 60));
        return invalid(page, formError(this.i18n, locale, body, 'core.login.throttled', { minutes }), 429, { 'retry-after': String(error.retryAfter) });
      }
      if (error instanceof UnauthorizedException) return invalid(page, formError(this.i18n, locale, body, 'core.login.failed'), 401);
      throw error;
    }
  }

  @Post('logout')
  @Public()
  async logout(@Req() request: PleinRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<PageRedirect> {
    const token = request.cookies?.[SESSION_COOKIE];
    if (token) await this.auth.logout(token);
    setCookie(reply, request, SESSION_COOKIE, '', 0);
    return flashRedirect('/', 'info', 'core.logout.done');
  }
}
