import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { EventBusService } from '../../core/src/events/event-bus.service';
import { DatabaseService } from '../../core/src/database/database.service';
import { OutboxRow } from '../../core/src/events/outbox.entity';
import { ledger, observed, pinger } from '../fixtures/ledger/ledger.plugin';
import { eventually } from './helpers';

describe('event bus', () => {
  let intranet: TestIntranet;
  let member: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [ledger, pinger] });
    member = await intranet.createUser();
  });
  afterAll(() => intranet.close());
  beforeEach(async () => {
    await intranet.runDueJobs();
    observed.reset();
  });

  it('delivers sync handlers after the transaction commits', async () => {
    await member.http.post('/api/v1/ledger/entries').send({ note: 'first' }).expect(201);
    expect(observed.sync).toEqual([{ eventId: expect.any(String), note: 'first', committed: true }]);
    expect(intranet.events.map((e) => e.name)).toContain('ledger.entry.added');
  });

  it('delivers nothing when the publishing transaction rolls back', async () => {
    const before = intranet.events.length;
    await member.http.post('/api/v1/ledger/entries').send({ note: 'doomed', failAfterPublish: true }).expect(500);
    await intranet.runDueJobs();
    expect(observed.sync).toEqual([]);
    expect(observed.durableCalls).toBe(0);
    expect(intranet.events.length).toBe(before);
    const entries = await intranet.http.get('/api/v1/ledger/entries').expect(200);
    expect(entries.body.items.map((e: { note: string }) => e.note)).not.toContain('doomed');
    const outbox = await intranet.get(DatabaseService).repository(OutboxRow).count();
    const seen = await intranet.http.get('/api/v1/ledger/seen').expect(200);
    expect(outbox).toBe(seen.body.items.length);
  });

  it('isolates a throwing sync handler: the request and the other handlers go on', async () => {
    // `explode` throws on every entry; `recordSync` still ran and the request succeeded.
    await member.http.post('/api/v1/ledger/entries').send({ note: 'second' }).expect(201);
    expect(observed.sync.map((s) => s.note)).toEqual(['second']);
  });

  it('delivers a durable handler through the outbox exactly once per event', async () => {
    const res = await member.http.post('/api/v1/ledger/entries').send({ note: 'durable' }).expect(201);
    expect(observed.durableCalls).toBe(0);
    await intranet.runDueJobs();
    expect(observed.durableCalls).toBe(1);
    const event = intranet.events.find((e) => (e.payload as { entryId?: string }).entryId === res.body.id)!;
    const row = await intranet.get(DatabaseService).repository(OutboxRow).findOneByOrFail({ eventId: event.id });
    expect(row.status).toBe('delivered');
    // A second delivery of the same row (a retried job, a stalled worker) does nothing.
    await intranet.get(EventBusService).deliverDurable(row.id, { id: 'again', name: 'core.deliver-event', attempt: 2 });
    expect(observed.durableCalls).toBe(1);
    const seen = await intranet.http.get('/api/v1/ledger/seen').expect(200);
    expect(seen.body.items.filter((s: { eventId: string }) => s.eventId === event.id)).toHaveLength(1);
  });

  it('retries a failing durable handler, rolling back its writes each time, until it succeeds', async () => {
    observed.durableFailuresLeft = 1;
    await member.http.post('/api/v1/ledger/entries').send({ note: 'retry me' }).expect(201);
    const ok = await eventually(async () => {
      intranet.clock.advance(5_000);
      await intranet.runDueJobs();
      return observed.durableCalls === 2;
    }, 15_000, 100);
    expect(ok).toBe(true);
    const seen = await intranet.http.get('/api/v1/ledger/seen').expect(200);
    expect(seen.body.items.filter((s: { note: string }) => s.note === 'retry me')).toHaveLength(1);
  });

  it('lets a plugin be disabled without a restart: its routes answer 404 and its handlers stay quiet', async () => {
    const admin = await intranet.createUser({ roles: ['admin'] });
    await admin.http.post('/api/v1/plugins/ledger/disable').expect(200);
    await member.http.post('/api/v1/ledger/entries').send({ note: 'while off' }).expect(404);
    await intranet.http.post('/api/v1/pinger').send({ at: 'while-off' }).expect(201);
    expect(observed.pings).toEqual([]);
    const list = await admin.http.get('/api/v1/plugins').expect(200);
    expect(list.body.items.find((p: { id: string }) => p.id === 'ledger').state).toBe('disabled');
    const health = await intranet.http.get('/api/v1/health').expect(200);
    expect(health.body.plugins).toEqual(expect.arrayContaining([{ id: 'ledger', version: '1.0.0', state: 'disabled' }]));

    await admin.http.post('/api/v1/plugins/ledger/enable').expect(200);
    await intranet.http.post('/api/v1/pinger').send({ at: 'back-on' }).expect(201);
    expect(observed.pings).toEqual(['back-on']);
    await member.http.post('/api/v1/ledger/entries').send({ note: 'back' }).expect(201);
    const audit = await admin.http.get('/api/v1/audit').expect(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['core.plugin.disabled', 'core.plugin.enabled']));
  });

  it('keeps plugin management for administrators', async () => {
    await member.http.post('/api/v1/plugins/ledger/disable').expect(403);
    await intranet.http.get('/api/v1/plugins').expect(401);
    const admin = await intranet.createUser({ roles: ['admin'] });
    await admin.http.post('/api/v1/plugins/nope/disable').expect(404);
  });
});
