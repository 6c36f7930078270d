import { randomUUID } from 'node:crypto';
import { Audit, type AuditEntry, type Clock } from '@plein/sdk';

import type { DatabaseService } from '../database/database.service';
import { AuditRow } from './audit.entity';

/** The audit log, shared by core and every plugin (each entry says which). */
export class AuditService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  async record(pluginId: string, entry: AuditEntry): Promise<void> {
    await this.db.repository(AuditRow).insert({
      id: randomUUID(),
      at: this.clock.now(),
      actorId: entry.actorId ?? null,
      pluginId,
      action: entry.action,
      subject: entry.subject ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  forPlugin(pluginId: string): Audit {
    const record = (entry: AuditEntry) => this.record(pluginId, entry);
    return new (class extends Audit {
      record(entry: AuditEntry): Promise<void> {
        return record(entry);
      }
    })();
  }

  /** Newest first, keyset-paginated on (at, id). */
  async list(limit: number, cursor: { at: Date; id: string } | null): Promise<AuditRow[]> {
    const qb = this.db.repository(AuditRow).createQueryBuilder('a').orderBy('a.at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit);
    if (cursor) qb.where('(a.at < :at OR (a.at = :at AND a.id < :id))', { at: cursor.at, id: cursor.id });
    return qb.getMany();
  }
}

