import { Controller, Get, Inject, Query } from '@nestjs/common';
import { decodeCursor, encodeCursor, InvalidInput, parseLimit, RequirePermission } from '@plein/sdk';
import { corePermissions } from '../permissions/core-permissions';
import { AuditService } from './audit.service';

@Controller('api/v1/audit')
@RequirePermission(corePermissions.readAudit)
export class AuditController {
  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get()
  async list(@Query('limit') limitParam?: string, @Query('cursor') cursorParam?: string) {
    const limit = parseLimit(limitParam);
    const cursor = decodeCursor<{ at: string; id: string }>(cursorParam);
    if (cursor && (typeof cursor.at !== 'string' || typeof cursor.id !== 'string')) throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
    const rows = await this.audit.list(limit + 1, cursor ? { at: new Date(cursor.at), id: cursor.id } : null);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({ id: r.id, at: r.at.toISOString(), actorId: r.actorId, plugin: r.pluginId, action: r.action, subject: r.subject, details: r.details ? JSON.parse(r.details) : null })),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.at.toISOString(), id: last.id }) : null,
    };
  }
}
