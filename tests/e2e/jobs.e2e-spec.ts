import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import { doomedJob, flakyJob, ledger, LedgerJobs, observed, slowJob, tickJob } from '../fixtures/ledger/ledger.plugin';
import { eventually } from './helpers';

/** Runs due jobs, moving the test clock past backoff delays, until `done` or the time is up. */
async function work(intranet: TestIntranet, done: () => boolean, timeoutMs = 15_000): Promise<boolean> {
  return eventually(async () => {
    intranet.clock.advance(1_000);
    await intranet.runDueJobs();
    return done();
  }, timeoutMs, 60);
}

describe('jobs', () => {
  let intranet: TestIntranet;
  let jobs: LedgerJobs['jobs'];

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [ledger] });
    jobs = intranet.get(LedgerJobs).jobs;
  });
  afterAll(() => intranet.close());
  beforeEach(() => observed.reset());

  it(`retries a failing job with backoff until it succeeds`, async () => {
    await jobs.enqueue(flakyJob, { key: 'flaky', failTimes: 2 });
    expect(await work(intranet, () => observed.done.includes('flaky'))).toBe(true);
    expect(observed.attempts.get('flaky')).toBe(3);
  });

  it('shows a job that used up its attempts as failed, with its error', async () => {
    const { id } = await jobs.enqueue(doomedJob, { key: 'doomed' });
    let failed: Array<{ id: string; error: string | null; attempts: number }> = [];
    const listed = await eventually(async () => {
      intranet.clock.advance(1_000);
      await intranet.runDueJobs();
      const res = await intranet.http.get('/api/v1/ledger/jobs').query({ state: 'failed' }).expect(200);
      failed = res.body.items;
      return failed.some((j) => j.id === id);
    }, 15_000, 60);
    expect(listed).toBe(true);
    const job = failed.find((j) => j.id === id)!;
    expect(job.attempts).toBe(2);
    expect(job.error).toContain('this job never succeeds');
  });

  it('runs no more of one job kind at once than its concurrency allows', async () => {
    for (let i = 0; i < 5; i++) await jobs.enqueue(slowJob, { key: `slow-${i}`, ms: 80 });
    expect(await work(intranet, () => observed.done.filter((k) => k.startsWith('slow-')).length === 5)).toBe(true);
    expect(observed.maxRunning).toBe(2);
  });

  it('does not add a job twice under the same job id while it waits', async () => {
    // Delayed, so the first surely still waits when the second comes: with BullMQ the in-process
    // worker may otherwise finish (and remove) the first before the second is added.
    const a = await jobs.enqueue(tickJob, { key: 'once' }, { jobId: 'tick-once', delay: 300 });
    const b = await jobs.enqueue(tickJob, { key: 'once' }, { jobId: 'tick-once', delay: 300 });
    expect(b.id).toBe(a.id);
    expect(await work(intranet, () => observed.done.includes('once'))).toBe(true);
    expect(observed.done.filter((k) => k === 'once')).toHaveLength(1);
  });

  it('runs a delayed job only once its time has come', async () => {
    await jobs.enqueue(tickJob, { key: 'later' }, { delay: 300 });
    await intranet.runDueJobs();
    expect(observed.done).not.toContain('later');
    expect(await work(intranet, () => observed.done.includes('later'))).toBe(true);
  });

  it('runs a repeating schedule until it is removed', async () => {
    await jobs.schedule(tickJob, { key: 'repeat' }, { every: 200 });
    expect(await work(intranet, () => observed.done.filter((k) => k === 'repeat').length >= 2)).toBe(true);
    await jobs.unschedule(tickJob);
    await intranet.runDueJobs();
    const count = observed.done.filter((k) => k === 'repeat').length;
    intranet.clock.advance(2_000);
    await new Promise((r) => setTimeout(r, 500));
    await intranet.runDueJobs();
    expect(observed.done.filter((k) => k === 'repeat').length).toBe(count);
  });

  it('holds the jobs of a disabled plugin until it is enabled again', async () => {
    const admin = await intranet.createUser({ roles: ['admin'] });
    await admin.http.post('/api/v1/plugins/ledger/disable').expect(200);
    await jobs.enqueue(tickJob, { key: 'while-off' });
    await intranet.runDueJobs();
    await new Promise((r) => setTimeout(r, 300));
    expect(observed.done).not.toContain('while-off');
    await admin.http.post('/api/v1/plugins/ledger/enable').expect(200);
    expect(await work(intranet, () => observed.done.includes('while-off'))).toBe(true);
  });

  it('shows operators the jobs of every plugin, filtered by state', async () => {
    const admin = await intranet.createUser({ roles: ['admin'] });
    const res = await admin.http.get('/api/v1/jobs').query({ state: 'failed' }).expect(200);
    expect(res.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ plugin: 'ledger', name: 'ledger.doomed-work', state: 'failed' })]));
    const bad = await admin.http.get('/api/v1/jobs').query({ state: 'exploded' }).expect(422);
    expect(bad.body.errors[0].field).toBe('state');
    const member = await intranet.createUser();
    await member.http.get('/api/v1/jobs').expect(403);
  });

  it('cleans up finished jobs after a day, keeping recent ones', async () => {
    const { JobsService } = await import('../../core/src/jobs/jobs.service');
    const { cleanupJob } = await import('../../core/src/jobs/cleanup');
    await jobs.enqueue(tickJob, { key: 'old' });
    expect(await work(intranet, () => observed.done.includes('old'))).toBe(true);
    const completed = async () => (await jobs.list({ state: 'completed' })).length;
    expect(await completed()).toBeGreaterThan(0);
    if (intranet.queue === 'bullmq') return; // BullMQ trims finished jobs itself (removeOnComplete)
    intranet.clock.advance(2 * 86_400_000);
    await intranet.get(JobsService).forPlugin('core').enqueue(cleanupJob, {});
    await intranet.runDueJobs();
    expect(await completed()).toBe(0);
  });

  it('refuses a malformed cron pattern', async () => {
    await expect(jobs.schedule(tickJob, { key: 'bad' }, { pattern: 'not a cron' })).rejects.toThrow();
  });
});

describe('job workers', () => {
  it('finish the job in hand on shutdown', async () => {
    observed.reset();
    const intranet = await createTestIntranet({ plugins: [ledger], jobs: 'auto' });
    await intranet.get(LedgerJobs).jobs.enqueue(slowJob, { key: 'in-hand', ms: 400 });
    expect(await eventually(() => observed.running === 1, 10_000, 10)).toBe(true);
    await intranet.close();
    expect(observed.done).toContain('in-hand');
  });
});
