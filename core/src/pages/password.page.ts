import { Body, Controller, Get, Inject, Param, Post, Req } from '@nestjs/common';
import { Public, Render, type PageData, type PageRedirect } from '@plein/sdk';
import { clientOf } from '../auth/cookies';
import { PasswordResetService, ResetLinkInvalid, TooManyResetRequests } from '../auth/password-reset.service';
import type { PleinRequest } from '../http/access.guard';
import { I18n } from '../i18n/i18n';
import { withStatus, type PageResult } from '../views/page-result';
import { ForgotPasswordForm, NewPasswordForm } from './dto/account.dto';
import { attempt, emptyForm, flashRedirect, formError, formWithErrors, invalid, PageLocale, readForm, type FormBody } from './page-kit';

/** `/password/forgot` and `/password/reset/:token`: a one-time link by e-mail sets a new password. */
@Controller('password')
export class PasswordPage {
  constructor(
    @Inject(PasswordResetService) private readonly resets: PasswordResetService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get('forgot')
  @Public()
  @Render('core/password-forgot')
  forgotForm(@PageLocale() locale: string): PageData {
    return { title: this.i18n.t(locale, 'core.password.forgotTitle'), form: emptyForm() };
  }

  /** Answers the same whether the account exists or not. */
  @Post('forgot')
  @Public()
  @Render('core/password-forgot')
  async forgot(@Body() body: FormBody, @Req() request: PleinRequest, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const page = { title: this.i18n.t(locale, 'core.password.forgotTitle') };
    const read = await readForm(ForgotPasswordForm, body, this.i18n, locale);
    if (!read.ok) return invalid(page, read.form);
    try {
      await this.resets.request(read.value.email, { ip: clientOf(request).ip, acceptLanguage: request.headers['accept-language'] });
    } catch (error) {
      if (!(error instanceof TooManyResetRequests)) throw error;
      const minutes = Math.max(1, Math.ceil(error.retryAfter / 60));
      return invalid(page, formError(this.i18n, locale, body, 'core.password.throttled', { minutes }), 429, { 'retry-after': String(error.retryAfter) });
    }
    return flashRedirect('/login', 'info', 'core.password.sent');
  }

  @Get('reset/:token')
  @Public()
  @Render('core/password-reset')
  async resetForm(@Param('token') token: string, @PageLocale() locale: string): Promise<PageResult> {
    const page = { title: this.i18n.t(locale, 'core.password.resetTitle'), token };
    if (!(await this.resets.check(token))) return withStatus({ ...page, expired: true }, 404);
    return { ...page, form: emptyForm() };
  }

  @Post('reset/:token')
  @Public()
  @Render('core/password-reset')
  async reset(@Param('token') token: string, @Body() body: FormBody, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const page = { title: this.i18n.t(locale, 'core.password.resetTitle'), token };
    const read = await readForm(NewPasswordForm, body, this.i18n, locale);
    if (!read.ok) return invalid(page, read.form);
    if (read.value.password !== read.value.confirm) return invalid(page, formWithErrors(this.i18n, locale, body, [{ field: 'confirm', key: 'core.validation.confirm', params: {} }]));
    try {
      return await attempt(
        async () => {
          await this.resets.complete(token, read.value.password);
          return flashRedirect('/login', 'success', 'core.password.changed');
        },
        this.i18n,
        locale,
        body,
        (form, status) => invalid(page, form, status),
      );
    } catch (error) {
      if (error instanceof ResetLinkInvalid) return withStatus({ ...page, expired: true }, 404);
      throw error;
    }
  }
}
