import type { Clock } from '@plein/sdk';
import { LessThan } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import { ThrottleRow } from './auth.entities';

/** A limit: at most `max` hits per `windowMs`. */
export interface ThrottleLimit {
  max: number;
  windowMs: number;
}

/**
 * Fixed-window counters in the database, so every instance counts the same hits (DESIGN.md §6).
 */
export class ThrottleService {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {}

  /** Seconds until `key` may try again, or 0 when it is under its limit. */
  async retryAfter(key: string, limit: ThrottleLimit): Promise<number> {
    const row = await this.db.repository(ThrottleRow).findOneBy({ key });
    const now = this.clock.now().getTime();
    if (!row || row.resetAt.getTime() <= now || row.hits < limit.max) return 0;
    return Math.max(1, Math.ceil((row.resetAt.getTime() - now) / 1000));
  }

  /** Counts one hit against `key`. */
  async hit(key: string, limit: ThrottleLimit): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction(async (m) => {
      const row = await m.findOneBy(ThrottleRow, { key });
      if (!row) await m.insert(ThrottleRow, { key, hits: 1, resetAt: new Date(now.getTime() + limit.windowMs) });
      else if (row.resetAt <= now) await m.update(ThrottleRow, { key }, { hits: 1, resetAt: new Date(now.getTime() + limit.windowMs) });
      else await m.increment(ThrottleRow, { key }, 'hits', 1);
    });
  }

  async clear(key: string): Promise<void> {
    await this.db.repository(ThrottleRow).delete({ key });
  }

  async sweep(): Promise<void> {
    await this.db.repository(ThrottleRow).delete({ resetAt: LessThan(this.clock.now()) });
  }
}
