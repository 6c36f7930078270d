import { Body, Controller, Get, Inject, Post, Query } from '@nestjs/common';
import { CurrentUser, decodeCursor, encodeCursor, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { DIGEST_FREQUENCIES, isDigestFrequency, type DigestFrequency } from '../digests/digest-schedule';
import { DigestService } from '../digests/digest.service';
import { I18n } from '../i18n/i18n';
import { NotificationsService, type Channel } from '../notifications/notifications.service';
import { corePermissions } from '../permissions/core-permissions';
import type { PageResult } from '../views/page-result';
import { MarkReadForm } from './dto/notifications.dto';
import { emptyForm, flashRedirect, formInput, formWithErrors, invalid, PageLocale, readForm, safeHref, signedIn, type FormBody, type FormState } from './page-kit';

const PAGE_SIZE = 25;
const CHANNELS: Channel[] = ['off', 'in-app', 'email'];

/** `/notifications` (mine, newest first; mark read) and `/notifications/settings` (a channel per kind, and the e-mail digest). */
@Controller('notifications')
export class NotificationsPage {
  constructor(
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(I18n) private readonly i18n: I18n,
    @Inject(DigestService) private readonly digests: DigestService,
  ) {}

  @Get()
  @RequirePermission(corePermissions.useAccount)
  @Render('core/notifications/list')
  async list(@CurrentUser() current: SignedInUser | null, @PageLocale() locale: string, @Query('cursor') cursorParam?: unknown): Promise<PageData> {
    const user = signedIn(current);
    let cursor: { at: string; id: string } | null = null;
    try {
      const decoded = typeof cursorParam === 'string' ? decodeCursor<{ at: unknown; id: unknown }>(cursorParam) : null;
      if (decoded && typeof decoded.at === 'string' && typeof decoded.id === 'string' && !Number.isNaN(Date.parse(decoded.at))) cursor = { at: decoded.at, id: decoded.id };
    } catch {
      cursor = null;
    }
    const rows = await this.notifications.list(user.id, PAGE_SIZE + 1, cursor ? { at: new Date(cursor.at), id: cursor.id } : null);
    const page = rows.slice(0, PAGE_SIZE);
    const last = page[page.length - 1];
    const unread = await this.notifications.unread(user.id);
    return {
      title: this.i18n.t(locale, 'core.notifications.title'),
      unread,
      items: page.map((n) => ({ id: n.id, title: n.title, href: safeHref(n.url), createdAt: n.createdAt, read: n.readAt !== null })),
      next: rows.length > PAGE_SIZE && last ? `/notifications?cursor=${encodeURIComponent(encodeCursor({ at: last.createdAt.toISOString(), id: last.id }))}` : null,
    };
  }

  @Post('read')
  @RequirePermission(corePermissions.useAccount)
  async markRead(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageRedirect> {
    const user = signedIn(current);
    const read = await readForm(MarkReadForm, body, this.i18n, locale);
    if (!read.ok || (!read.value.all && read.value.ids.length === 0)) return flashRedirect('/notifications', 'error', 'core.notifications.nothingChosen');
    const marked = await this.notifications.markRead(user.id, read.value.all ? 'all' : read.value.ids);
    return flashRedirect('/notifications', 'success', 'core.notifications.marked', { count: marked });
  }

  @Get('settings')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/notifications/settings')
  async settings(@CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageData> {
    return this.settingsPage(signedIn(current), locale);
  }

  @Post('settings')
  @RequirePermission(corePermissions.useAccount)
  @Render('core/notifications/settings')
  async saveSettings(@Body() body: FormBody, @CurrentUser() current: SignedInUser | null, @PageLocale() locale: string): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const input = formInput(body);
    const kinds = this.notifications.listKinds();
    const chosen = new Map<string, Channel>();
    const problems = [];
    for (const kind of kinds) {
      const value = input[kind.kind];
      if (value === undefined) continue;
      if (typeof value === 'string' && (CHANNELS as string[]).includes(value)) chosen.set(kind.kind, value as Channel);
      else problems.push({ field: kind.kind, key: 'core.validation.isIn', params: { constraint1: CHANNELS.join(', ') } });
    }
    const digest = input.digest;
    if (digest !== undefined && !isDigestFrequency(digest)) problems.push({ field: 'digest', key: 'core.validation.isIn', params: { constraint1: DIGEST_FREQUENCIES.join(', ') } });
    if (problems.length) {
      const form = formWithErrors(this.i18n, locale, body, problems);
      return invalid(await this.settingsPage(user, locale, form), form);
    }
    for (const [kind, channel] of chosen) await this.notifications.setChannel(user.id, kind, channel);
    if (digest !== undefined) await this.digests.choose(user.id, digest as DigestFrequency);
    return flashRedirect('/notifications/settings', 'success', 'core.notifications.settingsSaved');
  }

  private async settingsPage(user: SignedInUser, locale: string, form?: FormState): Promise<PageData> {
    const channels = await this.notifications.channels(user.id);
    const digest = await this.digests.preference(user.id);
    const digestChoice = (form?.values.digest as string | undefined) ?? digest.frequency;
    return {
      title: this.i18n.t(locale, 'core.notifications.settingsTitle'),
      form: form ?? emptyForm(),
      kinds: this.notifications.listKinds().map((k, index) => {
        const labelKey = `${k.kind}.label`;
        const current = (form?.values[k.kind] as string | undefined) ?? channels.get(k.kind);
        return {
          kind: k.kind,
          index,
          label: this.i18n.has(labelKey, locale) ? this.i18n.t(locale, labelKey) : k.label,
          errors: form?.errors[k.kind] ?? [],
          channels: CHANNELS.map((c) => ({ value: c, label: this.i18n.t(locale, `core.notifications.channel.${c}`), checked: c === current })),
        };
      }),
      digest: {
        errors: form?.errors.digest ?? [],
        nextAt: digest.nextAt,
        choices: DIGEST_FREQUENCIES.map((f) => ({ value: f, label: this.i18n.t(locale, `core.digest.frequency.${f}`), checked: f === digestChoice })),
      },
    };
  }
}
