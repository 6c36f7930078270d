import { Controller, Get, Inject, Query } from '@nestjs/common';
import { decodeCursor, encodeCursor, Render, RequirePermission, type PageData } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { UsersService } from '../users/users.service';
import { PageLocale } from './page-kit';

const PAGE_SIZE = 50;

/** `/admin/audit`: who did what, when, newest first, a page at a time. */
@Controller('admin/audit')
export class AdminAuditPage {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(corePermissions.readAudit)
  @Render('core/admin/audit')
  async list(@PageLocale() locale: string, @Query('cursor') cursorParam?: unknown): Promise<PageData> {
    let cursor: { at: Date; id: string } | null = null;
    try {
      const decoded = typeof cursorParam === 'string' ? decodeCursor<{ at: unknown; id: unknown }>(cursorParam) : null;
      if (decoded && typeof decoded.at === 'string' && typeof decoded.id === 'string' && !Number.isNaN(Date.parse(decoded.at))) cursor = { at: new Date(decoded.at), id: decoded.id };
    } catch {
      cursor = null;
    }
    const rows = await this.audit.list(PAGE_SIZE + 1, cursor);
    const page = rows.slice(0, PAGE_SIZE);
    const actors = await this.users.findByIds(page.map((r) => r.actorId).filter((id): id is string => id !== null));
    const last = page[page.length - 1];
    return {
      title: this.i18n.t(locale, 'core.admin.audit.title'),
      entries: page.map((r) => ({
        at: r.at,
        actor: r.actorId ? (actors.get(r.actorId) ?? { handle: null, displayName: r.actorId }) : null,
        plugin: r.pluginId,
        action: r.action,
        subject: r.subject,
        details: r.details,
      })),
      next: rows.length > PAGE_SIZE && last ? `/admin/audit?cursor=${encodeURIComponent(encodeCursor({ at: last.at.toISOString(), id: last.id }))}` : null,
      first: cursor !== null,
    };
  }
}
