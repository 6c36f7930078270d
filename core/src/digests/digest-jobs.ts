import { defineJob } from '@plein/sdk';
import type { JobsService } from '../jobs/jobs.service';
import type { DigestService } from './digest.service';

/** Every hour, shortly after the hour: find the digests that are due and queue one job per person. */
export const planDigestsJob = defineJob<Record<string, never>>('core.plan-digests', { description: 'Queue the e-mail digests that are due', attempts: 2 });

/** One person's digest: collect, render, claim the period, queue the mail. */
export const sendDigestJob = defineJob<{ userId: string; dueAt: string }>('core.send-digest', {
  description: "Send one person's e-mail digest",
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  concurrency: 2,
});

/** When the planner runs (UTC): digests fall due on the hour, so two minutes past it. */
export const PLAN_DIGESTS_PATTERN = '2 * * * *';

export function registerDigestJobs(jobs: JobsService, digests: DigestService): void {
  jobs.register({ queue: 'core', definition: planDigestsJob as never, run: async () => void (await digests.plan()) });
  jobs.register({
    queue: 'core',
    definition: sendDigestJob as never,
    run: async (data) => {
      const { userId, dueAt } = data as { userId: string; dueAt: string };
      await digests.send(userId, new Date(dueAt));
    },
  });
}
