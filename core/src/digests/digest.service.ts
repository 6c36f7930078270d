import type { Clock } from '@plein/sdk';
import type { DatabaseService } from '../database/database.service';
import type { JobsService } from '../jobs/jobs.service';
import type { OutgoingMail } from '../notifications/mail.service';
import { sendMailJob } from '../notifications/notifications.service';
import { UserRow } from '../users/user.entity';
import type { UsersService } from '../users/users.service';
import type { DigestCollector } from './digest-content';
import { sendDigestJob } from './digest-jobs';
import type { DigestMail } from './digest-mail';
import { DEFAULT_DIGEST_FREQUENCY, nextDigestAt, type DigestFrequency } from './digest-schedule';
import { DigestRow } from './digest.entity';

/** A person's digest setting as the settings page and the API show it. */
export interface DigestPreference {
  frequency: DigestFrequency;
  /** When the next digest is due (it is sent only if something is new by then). */
  nextAt: Date | null;
  lastSentAt: Date | null;
}

/** What became of one due digest. */
export type DigestOutcome = 'sent' | 'nothing-new' | 'not-due';

/**
 * A digest covers up to a minute ago, not up to now: content whose transaction is still
 * committing when the digest is read then goes into the next one instead of into none.
 */
const SETTLE_MS = 60_000;
const BATCH = 500;

/**
 * E-mail digests: each person's choice (off, daily, weekly), the planner that finds who is due,
 * and the sending of one person's digest, once per period however often or wherever it runs.
 */
export class DigestService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly users: UsersService,
    private readonly collector: DigestCollector,
    private readonly mail: DigestMail,
  ) {}

  async preference(userId: string): Promise<DigestPreference> {
    const row = await this.db.repository(DigestRow).findOneBy({ userId });
    if (!row) return { frequency: DEFAULT_DIGEST_FREQUENCY, nextAt: nextDigestAt(DEFAULT_DIGEST_FREQUENCY, this.clock.now()), lastSentAt: null };
    return { frequency: row.frequency, nextAt: row.nextAt, lastSentAt: row.sentAt };
  }

  /**
   * Sets how often `userId` gets a digest. Switching on starts the window now (no digest of what
   * happened while it was off); switching between daily and weekly keeps it (nothing is lost).
   */
  async choose(userId: string, frequency: DigestFrequency): Promise<DigestPreference> {
    await this.db.transaction(async (m) => {
      const now = this.clock.now();
      await m.createQueryBuilder().insert().into(DigestRow).values(this.fresh(userId, frequency, now)).orIgnore().execute();
      const row = await m.findOneByOrFail(DigestRow, { userId });
      // The same choice again (or the row just made with it) leaves the due time where it is.
      if (row.frequency === frequency) return;
      await m.update(DigestRow, { userId }, { frequency, nextAt: nextDigestAt(frequency, now), sinceAt: row.frequency === 'off' ? now : row.sinceAt });
    });
    return this.preference(userId);
  }

  private fresh(userId: string, frequency: DigestFrequency, now: Date): DigestRow {
    return { userId, frequency, sinceAt: now, nextAt: nextDigestAt(frequency, now), sentAt: null };
  }

  /** Gives every active person who never chose the default setting, from now on. */
  async enrol(): Promise<number> {
    let enrolled = 0;
    for (;;) {
      const missing = await this.db
        .manager()
        .createQueryBuilder(UserRow, 'u')
        .select('u.id', 'id')
        .leftJoin(DigestRow, 'd', 'd.user_id = u.id')
        .where('d.user_id IS NULL')
        .andWhere("u.status = 'active'")
        .limit(BATCH)
        .getRawMany<{ id: string }>();
      if (missing.length === 0) return enrolled;
      const now = this.clock.now();
      await this.db.transaction((m) =>
        m.createQueryBuilder().insert().into(DigestRow).values(missing.map((u) => this.fresh(u.id, DEFAULT_DIGEST_FREQUENCY, now))).orIgnore().execute(),
      );
      enrolled += missing.length;
      if (missing.length < BATCH) return enrolled;
    }
  }

  /** Queues one job per due digest (oldest first); returns how many. */
  async plan(): Promise<number> {
    await this.enrol();
    const now = this.clock.now();
    let after: { at: Date; userId: string } | null = null;
    let queued = 0;
    for (;;) {
      const qb = this.db.repository(DigestRow).createQueryBuilder('d').where('d.next_at <= :now', { now });
      if (after) qb.andWhere('(d.next_at > :at OR (d.next_at = :at AND d.user_id > :userId))', after);
      const due = await qb.orderBy('d.next_at', 'ASC').addOrderBy('d.user_id', 'ASC').limit(BATCH).getMany();
      for (const row of due) {
        const dueAt = row.nextAt!;
        // The same period is queued once even if the planner runs twice before it is sent.
        await this.jobs.backend.enqueue('core', sendDigestJob as never, { userId: row.userId, dueAt: dueAt.toISOString() }, { jobId: `digest-${row.userId}-${dueAt.getTime()}` });
      }
      queued += due.length;
      if (due.length < BATCH) return queued;
      const last = due[due.length - 1];
      after = { at: last.nextAt!, userId: last.userId };
    }
  }

  /**
   * Sends the digest of `userId` that fell due at `dueAt`, if it still is: collects what is new
   * since the last one, then moves the window on with an UPDATE conditional on `next_at` still
   * being `dueAt`, and queues the mail in that same transaction. Two workers with the same job
   * both collect, but only one UPDATE matches: the other sends nothing. A period with nothing
   * new, or a person who is suspended or deactivated, moves the window on without mail.
   */
  async send(userId: string, dueAt: Date): Promise<DigestOutcome> {
    const row = await this.db.repository(DigestRow).findOneBy({ userId });
    if (!row?.nextAt || row.nextAt.getTime() !== dueAt.getTime() || row.frequency === 'off') return 'not-due';
    const frequency = row.frequency;
    const now = this.clock.now();
    const until = new Date(Math.max(row.sinceAt.getTime(), now.getTime() - SETTLE_MS));
    const user = await this.users.signedIn(userId);
    let mail: OutgoingMail | null = null;
    if (user?.status === 'active') {
      const content = await this.collector.collect(user, row.sinceAt, until);
      if (content.itemCount + content.notificationCount > 0) {
        mail = this.mail.compose({ to: user.email, name: user.displayName, locale: user.locale ?? 'en', frequency, since: row.sinceAt, content });
      }
    }
    const claimed = await this.db.transaction(async (m) => {
      const moved = await m.update(DigestRow, { userId, nextAt: row.nextAt! }, { sinceAt: until, nextAt: nextDigestAt(frequency, now), ...(mail ? { sentAt: now } : {}) });
      if (!moved.affected) return false;
      if (mail) await this.jobs.backend.enqueue('core', sendMailJob as never, mail);
      return true;
    });
    if (!claimed) return 'not-due';
    return mail ? 'sent' : 'nothing-new';
  }
}
