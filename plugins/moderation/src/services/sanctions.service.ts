import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Database,
  EventBus,
  InvalidInput,
  Users,
  type FieldProblem,
  type SignedInUser,
  type UserRef,
} from '@plein/sdk';
import { IsNull, LessThanOrEqual, Not } from 'typeorm';
import { ModerationSanction } from '../entities/moderation-sanction.entity';
import {
  moderationSanctionEnded,
  moderationSanctionIssued,
  NOTIFY,
  SANCTION_KINDS,
  type SanctionKind,
} from '../events';
import { ModerationLog } from './moderation-log.service';
import { ModerationScope } from './moderation-scope.service';
import { ModerationNotifier } from './notifier.service';

export interface SanctionView {
  id: string;
  user: UserRef | null;
  kind: SanctionKind;
  reason: string;
  until: string | null;
  /** Whether it restricts the person now (a warning never does). */
  active: boolean;
  endedAt: string | null;
  endReason: string | null;
  createdBy: UserRef | null;
  createdAt: string;
}

/** Whether a sanction restricts its person at `now`. */
export function restricts(s: Pick<ModerationSanction, 'kind' | 'endedAt' | 'endsAt'>, now: Date): boolean {
  return s.kind !== 'warn' && s.endedAt === null && (s.endsAt === null || s.endsAt > now);
}

/** The longest a sanction may run with an end date: about ten years. */
const MAX_SANCTION_MS = 3650 * 86_400_000;

/**
 * Warnings, silences (the gate refuses their posts with the reason and end date) and suspensions
 * (core's account status, through `Users.setStatus`: no sign-in, sessions ended). A silence or
 * suspension with an end date ends by itself: the gate compares the date on every post, and the
 * scheduled job `moderation.end-sanctions` closes the record and lifts the suspension.
 */
@Injectable()
export class SanctionsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: Users,
    private readonly events: EventBus,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly notifier: ModerationNotifier,
  ) {}

  async issue(
    moderator: SignedInUser,
    userId: string,
    input: { kind: SanctionKind; until?: string | null; reason: string },
  ): Promise<SanctionView> {
    const target = await this.users.findById(userId);
    if (!target) throw new NotFoundException(`No user with the id '${userId}'`);
    const problems: FieldProblem[] = [];
    const now = this.clock.now();
    if (!SANCTION_KINDS.includes(input.kind))
      problems.push({ field: 'kind', message: "must be 'warn', 'silence' or 'suspend'" });
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    if (!reason) problems.push({ field: 'reason', message: 'must say why (the person reads it)' });
    if ([...reason].length > 1000) problems.push({ field: 'reason', message: 'must be at most 1000 characters' });
    let until: Date | null = null;
    if (input.until !== undefined && input.until !== null && input.until !== '') {
      until = new Date(input.until);
      if (input.kind === 'warn') problems.push({ field: 'until', message: 'a warning has no end date' });
      else if (Number.isNaN(until.getTime()))
        problems.push({ field: 'until', message: 'must be a date and time (ISO 8601)' });
      else if (until <= now) problems.push({ field: 'until', message: 'must be in the future' });
      else if (until.getTime() - now.getTime() > MAX_SANCTION_MS)
        problems.push({ field: 'until', message: 'must be within ten years' });
    }
    if (userId === moderator.id) problems.push({ field: 'userId', message: 'you cannot sanction yourself' });
    if (problems.length) throw new InvalidInput(problems);
    const sanction: ModerationSanction = {
      id: randomUUID(),
      userId,
      kind: input.kind,
      reason,
      endsAt: input.kind === 'warn' ? null : until,
      endedAt: input.kind === 'warn' ? now : null,
      endedBy: null,
      endReason: null,
      createdBy: moderator.id,
      createdAt: now,
    };
    const role = await this.scope.roleOf(moderator);
    const by = await this.notifier.by(moderator, role);
    await this.db.transaction(async () => {
      await this.db.repository(ModerationSanction).insert(sanction);
      await this.log.record({
        actor: moderator,
        actorRole: role,
        action: 'sanction.issued',
        userId,
        reason,
        details: { sanctionId: sanction.id, kind: sanction.kind, until: until?.toISOString() ?? null },
      });
      // Before a suspension: notifications reach active accounts only.
      await this.notifier.send(
        [userId],
        NOTIFY.sanction,
        `moderation.notify.sanction.${sanction.kind}${until ? 'Until' : ''}.${by.kind}`,
        { reason, until: until?.toISOString().slice(0, 16).replace('T', ' ') ?? '', name: by.name },
        '/moderation/history',
      );
      if (sanction.kind === 'suspend')
        await this.users.setStatus(userId, 'suspended', { actorId: moderator.id, reason });
      await this.events.publish(moderationSanctionIssued, {
        sanctionId: sanction.id,
        userId,
        kind: sanction.kind,
        until: until?.toISOString() ?? null,
        moderatorId: moderator.id,
      });
    });
    return (await this.describe([sanction]))[0];
  }

  /** Ends a silence or suspension before its time (or withdraws a warning), with a reason. */
  async lift(moderator: SignedInUser | null, id: string, reason: string, appeal = false): Promise<SanctionView> {
    const sanction = await this.db.repository(ModerationSanction).findOneBy({ id });
    if (!sanction) throw new NotFoundException(`No sanction with the id '${id}'`);
    const text = reason.trim();
    if (!text) throw new InvalidInput([{ field: 'reason', message: 'must say why' }]);
    const now = this.clock.now();
    const wasActive = restricts(sanction, now);
    // A warning can be withdrawn once; a silence or suspension lifted while it still runs.
    if (sanction.endReason !== null || (sanction.kind !== 'warn' && !wasActive)) {
      throw new InvalidInput([{ field: 'id', message: 'this sanction was already lifted or has ended' }]);
    }
    const role = await this.scope.roleOf(moderator);
    const by = await this.notifier.by(moderator, role);
    await this.db.transaction(async () => {
      await this.db
        .repository(ModerationSanction)
        .update(
          { id },
          { endedAt: sanction.endedAt ?? now, endedBy: moderator?.id ?? null, endReason: text.slice(0, 1000) },
        );
      if (sanction.kind === 'suspend' && !(await this.stillSuspended(sanction.userId, id, now))) {
        await this.users.setStatus(sanction.userId, 'active', { actorId: moderator?.id ?? null, reason: text });
      }
      await this.log.record({
        actor: moderator,
        actorRole: role,
        action: 'sanction.lifted',
        userId: sanction.userId,
        reason: text,
        details: { sanctionId: id, kind: sanction.kind, appeal },
      });
      if (!appeal) {
        await this.notifier.send(
          [sanction.userId],
          NOTIFY.sanction,
          `moderation.notify.sanction.lifted.${by.kind}`,
          { reason: text, name: by.name },
          '/moderation/history',
        );
      }
      await this.events.publish(moderationSanctionEnded, {
        sanctionId: id,
        userId: sanction.userId,
        kind: sanction.kind,
        liftedBy: moderator?.id ?? null,
      });
    });
    return (await this.describe([{ ...sanction, endedAt: sanction.endedAt ?? now, endReason: text }]))[0];
  }

  private async stillSuspended(userId: string, except: string, now: Date): Promise<boolean> {
    const others = await this.db
      .repository(ModerationSanction)
      .findBy({ userId, kind: 'suspend', endedAt: IsNull(), id: Not(except) });
    return others.some((s) => restricts(s, now));
  }

  /** Closes every silence and suspension whose end date has passed; lifts suspensions. */
  async endDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db
      .repository(ModerationSanction)
      .findBy({ endedAt: IsNull(), endsAt: LessThanOrEqual(now) });
    let ended = 0;
    for (const sanction of due) {
      await this.db.transaction(async () => {
        const changed = await this.db
          .repository(ModerationSanction)
          .update({ id: sanction.id, endedAt: IsNull() }, { endedAt: sanction.endsAt, endReason: 'ended' });
        if (!changed.affected) return;
        ended++;
        if (sanction.kind === 'suspend' && !(await this.stillSuspended(sanction.userId, sanction.id, now))) {
          await this.users.setStatus(sanction.userId, 'active', { actorId: null, reason: 'The suspension ended' });
        }
        await this.log.record({
          actor: null,
          actorRole: 'system',
          action: 'sanction.ended',
          userId: sanction.userId,
          details: { sanctionId: sanction.id, kind: sanction.kind, endedAt: sanction.endsAt?.toISOString() ?? null },
        });
        await this.notifier.send(
          [sanction.userId],
          NOTIFY.sanction,
          `moderation.notify.sanction.ended.${sanction.kind}`,
          {},
          '/moderation/history',
        );
        await this.events.publish(moderationSanctionEnded, {
          sanctionId: sanction.id,
          userId: sanction.userId,
          kind: sanction.kind,
          liftedBy: null,
        });
      });
    }
    return ended;
  }

  async find(id: string): Promise<ModerationSanction | null> {
    return this.db.repository(ModerationSanction).findOneBy({ id });
  }

  /** A person's sanctions, newest first (at most 100). */
  async of(userId: string): Promise<ModerationSanction[]> {
    return this.db.repository(ModerationSanction).find({ where: { userId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  /** Sanctions of everyone, newest first; `active`: only those restricting someone now. */
  async list(
    active: boolean,
    limit: number,
    cursor: { at: string; id: string } | null,
  ): Promise<{ rows: ModerationSanction[]; next: { at: string; id: string } | null }> {
    const qb = this.db.repository(ModerationSanction).createQueryBuilder('s');
    if (active) qb.where('s.ended_at IS NULL');
    if (cursor) {
      const at = new Date(String(cursor.at));
      if (Number.isNaN(at.getTime()))
        throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
      qb.andWhere('s.created_at <= :at AND (s.created_at < :at OR s.id < :id)', { at, id: String(cursor.id) });
    }
    const rows = await qb
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const now = this.clock.now();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      rows: active ? page.filter((s) => restricts(s, now)) : page,
      next: rows.length > limit && last ? { at: last.createdAt.toISOString(), id: last.id } : null,
    };
  }

  async describe(rows: readonly ModerationSanction[]): Promise<SanctionView[]> {
    const people = await this.users.findByIds(rows.flatMap((s) => [s.userId, s.createdBy]));
    const now = this.clock.now();
    return rows.map((s) => ({
      id: s.id,
      user: people.get(s.userId) ?? null,
      kind: s.kind,
      reason: s.reason,
      until: s.endsAt?.toISOString() ?? null,
      active: restricts(s, now),
      endedAt: s.endedAt?.toISOString() ?? (s.endsAt && s.endsAt <= now ? s.endsAt.toISOString() : null),
      endReason: s.endReason,
      createdBy: people.get(s.createdBy) ?? null,
      createdAt: s.createdAt.toISOString(),
    }));
  }
}
