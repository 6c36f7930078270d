import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Clock, Database, InvalidInput, Users, type SignedInUser, type UserRef } from '@plein/sdk';
import { stringify } from 'csv-stringify';
import type { SelectQueryBuilder } from 'typeorm';
import { ModerationLogEntry, type ActorRole } from '../entities/moderation-log.entity';
import type { Scope } from './moderation-scope.service';

/** What an action records. */
export interface LogInput {
  actor: SignedInUser | null;
  actorRole: ActorRole;
  action: string;
  itemId?: string | null;
  contentId?: string | null;
  userId?: string | null;
  spaceId?: string | null;
  reason?: string | null;
  details?: Record<string, unknown>;
}

/** Filters of the log (every one optional). */
export interface LogFilter {
  action?: string;
  actorId?: string;
  userId?: string;
  spaceId?: string;
  contentId?: string;
  since?: Date;
  until?: Date;
}

export interface LogEntryView {
  id: string;
  at: string;
  action: string;
  actor: UserRef | null;
  actorRole: ActorRole;
  itemId: string | null;
  contentId: string | null;
  user: UserRef | null;
  spaceId: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** The actions a person sees in their own moderation history (never who reported them). */
export const HISTORY_ACTIONS = [
  'content.held',
  'content.flagged',
  'content.censored',
  'content.auto-hidden',
  'content.hidden',
  'content.deleted',
  'content.restored',
  'item.decided',
  'item.closed',
  'appeal.created',
  'sanction.issued',
  'sanction.ended',
  'sanction.lifted',
] as const;

type LogCursor = { at: string; id: string };

/**
 * A cell a spreadsheet will not run: text starting with = + - @ (or a tab or return) is a formula
 * to Excel and LibreOffice, so it gets a leading apostrophe (OWASP, "CSV injection").
 */
export function csvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Rows per query when exporting. */
const EXPORT_BATCH = 1000;

/** The moderation log: every action, who, what, when, why; append-only. */
@Injectable()
export class ModerationLog {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: Users,
  ) {}

  /** Appends an entry (in the current transaction when there is one). */
  async record(input: LogInput): Promise<ModerationLogEntry> {
    const entry: ModerationLogEntry = {
      id: randomUUID(),
      at: this.clock.now(),
      actorId: input.actor?.id ?? null,
      actorRole: input.actorRole,
      action: input.action,
      itemId: input.itemId ?? null,
      contentId: input.contentId ?? null,
      userId: input.userId ?? null,
      spaceId: input.spaceId ?? null,
      reason: input.reason?.slice(0, 1000) ?? null,
      details: input.details && Object.keys(input.details).length ? JSON.stringify(input.details) : null,
    };
    await this.db.repository(ModerationLogEntry).insert(entry);
    return entry;
  }

  /** The log's query for a scope and filters, newest first (exposed for the query-plan test). */
  query(scope: Scope, filter: LogFilter): SelectQueryBuilder<ModerationLogEntry> {
    const qb = this.db.repository(ModerationLogEntry).createQueryBuilder('l');
    if (!scope.global) {
      if (filter.spaceId && !scope.spaceIds.includes(filter.spaceId)) qb.where('1 = 0');
      else qb.where('l.space_id IN (:...scopeSpaces)', { scopeSpaces: scope.spaceIds.length ? scope.spaceIds : [''] });
    }
    if (filter.action) qb.andWhere('l.action = :action', { action: filter.action });
    if (filter.actorId) qb.andWhere('l.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.userId) qb.andWhere('l.user_id = :userId', { userId: filter.userId });
    if (filter.spaceId) qb.andWhere('l.space_id = :spaceId', { spaceId: filter.spaceId });
    if (filter.contentId) qb.andWhere('l.content_id = :contentId', { contentId: filter.contentId });
    if (filter.since) qb.andWhere('l.at >= :since', { since: filter.since });
    if (filter.until) qb.andWhere('l.at < :until', { until: filter.until });
    return qb.orderBy('l.at', 'DESC').addOrderBy('l.id', 'DESC');
  }

  private static after(qb: SelectQueryBuilder<ModerationLogEntry>, cursor: LogCursor | null) {
    if (!cursor) return qb;
    const at = new Date(String(cursor.at));
    if (Number.isNaN(at.getTime()))
      throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
    // A range to seek to, then ties (see QueueService.listQuery).
    return qb.andWhere('l.at <= :cursorAt AND (l.at < :cursorAt OR l.id < :cursorId)', {
      cursorAt: at,
      cursorId: String(cursor.id),
    });
  }

  /** The query of one page (exposed for the query-plan test). */
  pageQuery(
    scope: Scope,
    filter: LogFilter,
    limit: number,
    cursor: LogCursor | null,
  ): SelectQueryBuilder<ModerationLogEntry> {
    return ModerationLog.after(this.query(scope, filter), cursor).limit(limit + 1);
  }

  /** Newest first, keyset-paginated on (at, id). */
  async list(
    scope: Scope,
    filter: LogFilter,
    limit: number,
    cursor: LogCursor | null,
  ): Promise<{ rows: ModerationLogEntry[]; next: LogCursor | null }> {
    const rows = await this.pageQuery(scope, filter, limit, cursor).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, next: rows.length > limit && last ? { at: last.at.toISOString(), id: last.id } : null };
  }

  /** A person's own history: what was done to their content and account. */
  async historyOf(
    userId: string,
    limit: number,
    cursor: LogCursor | null,
  ): Promise<{ rows: ModerationLogEntry[]; next: LogCursor | null }> {
    const qb = this.db
      .repository(ModerationLogEntry)
      .createQueryBuilder('l')
      .where('l.user_id = :userId', { userId })
      .andWhere('l.action IN (:...actions)', { actions: [...HISTORY_ACTIONS] })
      .orderBy('l.at', 'DESC')
      .addOrderBy('l.id', 'DESC');
    const rows = await ModerationLog.after(qb, cursor)
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, next: rows.length > limit && last ? { at: last.at.toISOString(), id: last.id } : null };
  }

  /** Entries with their people, in one query for all of them. */
  async describe(rows: readonly ModerationLogEntry[]): Promise<LogEntryView[]> {
    const people = await this.users.findByIds(
      rows.flatMap((r) => [r.actorId, r.userId]).filter((id): id is string => !!id),
    );
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      action: r.action,
      actor: r.actorId ? (people.get(r.actorId) ?? null) : null,
      actorRole: r.actorRole,
      itemId: r.itemId,
      contentId: r.contentId,
      user: r.userId ? (people.get(r.userId) ?? null) : null,
      spaceId: r.spaceId,
      reason: r.reason,
      details: r.details ? (JSON.parse(r.details) as Record<string, unknown>) : {},
    }));
  }

  /** Every matching entry as CSV (RFC 4180), read in keyset batches while it is sent. */
  csv(scope: Scope, filter: LogFilter): Readable {
    return Readable.from(this.csvRows(scope, filter)).pipe(stringify());
  }

  private async *csvRows(scope: Scope, filter: LogFilter): AsyncGenerator<string[]> {
    yield ['at', 'action', 'actor', 'actor_role', 'user', 'item_id', 'content_id', 'space_id', 'reason', 'details'];
    let cursor: LogCursor | null = null;
    for (;;) {
      const { rows: batch, next } = await this.list(scope, filter, EXPORT_BATCH, cursor);
      for (const e of await this.describe(batch)) {
        yield [
          e.at,
          e.action,
          e.actor?.handle ?? '',
          e.actorRole,
          e.user?.handle ?? '',
          e.itemId ?? '',
          e.contentId ?? '',
          e.spaceId ?? '',
          csvCell(e.reason ?? ''),
          csvCell(Object.keys(e.details).length ? JSON.stringify(e.details) : ''),
        ];
      }
      if (!next) return;
      cursor = next;
    }
  }
}
