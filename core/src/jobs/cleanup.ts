import { defineJob, type Clock } from '@plein/sdk';
import { In, LessThan } from 'typeorm';
import { PasswordResetRow, SessionRow, ThrottleRow } from '../auth/auth.entities';
import type { DatabaseService } from '../database/database.service';
import { OutboxRow } from '../events/outbox.entity';
import { JobRow } from './job.entity';
import type { JobsService } from './jobs.service';

const DAY = 86_400_000;

/** Hourly housekeeping: finished jobs, delivered events, expired sessions and counters. */
export const cleanupJob = defineJob<Record<string, never>>('core.cleanup', { description: 'Remove rows whose work is done', attempts: 2 });

export function registerCleanup(jobs: JobsService, db: DatabaseService, clock: Clock): void {
  jobs.register({
    queue: 'core',
    definition: cleanupJob as never,
    run: async () => {
      const now = clock.now().getTime();
      await db.repository(JobRow).delete({ status: 'completed', finishedAt: LessThan(new Date(now - DAY)) });
      await db.repository(JobRow).delete({ status: 'failed', finishedAt: LessThan(new Date(now - 30 * DAY)) });
      await db.repository(OutboxRow).delete({ status: In(['delivered', 'skipped']), occurredAt: LessThan(new Date(now - 7 * DAY)) });
      await db.repository(SessionRow).delete({ expiresAt: LessThan(new Date(now)) });
      await db.repository(ThrottleRow).delete({ resetAt: LessThan(new Date(now)) });
      await db.repository(PasswordResetRow).delete({ expiresAt: LessThan(new Date(now - DAY)) });
    },
  });
}
