import { Body, Controller, Get, Inject, Post } from '@nestjs/common';
import { CurrentUser, InvalidInput, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { ActiveTheme, themeText } from '../views/active-theme';
import type { PageResult } from '../views/page-result';
import { emptyForm, flashRedirect, formInput, formWithErrors, invalid, PageLocale, signedIn, type FormBody, type FormState } from './page-kit';

/** The form's value for "no choice: the configured theme". */
const CONFIGURED = '';

/**
 * `/admin/themes`: the installed themes and the choice of the one every page is shown in. The
 * choice is stored in the database and takes effect at once on this instance, and within the
 * state beat (`PLEIN_STATE_POLL_MS`) on the others; no restart.
 */
@Controller('admin/themes')
export class AdminThemesPage {
  constructor(
    @Inject(ActiveTheme) private readonly themes: ActiveTheme,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(corePermissions.manageTheme)
  @Render('core/admin/themes')
  async list(@PageLocale() locale: string): Promise<PageData> {
    return this.page(locale);
  }

  @Post()
  @RequirePermission(corePermissions.manageTheme)
  @Render('core/admin/themes')
  async choose(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const again = async (form: FormState) => invalid(await this.page(locale, form), form);
    const value = formInput(body).theme;
    if (typeof value !== 'string') return again(formWithErrors(this.i18n, locale, body, [{ field: 'theme', key: 'core.admin.themes.choose', params: {} }]));
    const name = value === CONFIGURED ? null : value;
    try {
      await this.themes.choose(name);
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      return again(formWithErrors(this.i18n, locale, body, [{ field: 'theme', key: 'core.admin.themes.unknown', params: { name: value } }]));
    }
    await this.audit.record('core', { action: 'core.theme.chosen', subject: `theme:${this.themes.name}`, actorId: user.id, details: { chosen: name } });
    return flashRedirect('/admin/themes', 'success', 'core.admin.themes.chosen', { name: this.label(this.themes.name, locale) });
  }

  private label(name: string, locale: string): string {
    const option = this.themes.options().find((t) => t.name === name);
    return (option && themeText(option.dir, 'theme.name', locale)) ?? name;
  }

  private async page(locale: string, form?: FormState): Promise<PageData> {
    const chosen = await this.themes.chosen();
    const options = this.themes.options();
    const t = (key: string, params = {}) => this.i18n.t(locale, key, params);
    const choices = [
      { value: CONFIGURED, label: t('core.admin.themes.configured', { name: this.label(this.themes.configured, locale) }), hint: t('core.admin.themes.configuredHint') },
      ...options
        .filter((o) => o.usable)
        .map((o) => ({
          value: o.name,
          label: this.label(o.name, locale),
          hint: [themeText(o.dir, 'theme.description', locale), o.parent ? t('core.admin.themes.basedOn', { name: this.label(o.parent, locale) }) : null].filter(Boolean).join(' '),
        })),
    ];
    return {
      title: t('core.admin.themes.title'),
      active: { name: this.themes.name, label: this.label(this.themes.name, locale) },
      choices,
      unusable: options.filter((o) => !o.usable).map((o) => ({ name: o.name, problem: o.problem })),
      form: form ?? emptyForm({ theme: chosen ?? CONFIGURED }),
    };
  }
}
