import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { SanctionsService } from '../src/services/sanctions.service';
import { kudo, notifications } from './support';

jest.setTimeout(60_000);

const PASSWORD = 'correct horse battery staple';

/** Warnings, silences and suspensions, and their ends. */
describe('sanctions', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;

  /**
   * Runs what the scheduled job `moderation.end-sanctions` does once a minute. The embedded queue
   * follows the test clock; BullMQ's repeat timer runs on real time, so there the job's work is
   * called directly.
   */
  async function minuteLater(): Promise<void> {
    intranet.clock.advance(61_000);
    if (intranet.queue === 'bullmq') await intranet.get(SanctionsService).endDue();
    else await intranet.runDueJobs();
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, moderation] });
    ada = await intranet.createUser({
      handle: 'ada',
      displayName: 'Ada Lovelace',
      email: 'ada@example.test',
      password: PASSWORD,
    });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
  });
  afterAll(() => intranet.close());

  it('warns a person, who is told why and can still post', async () => {
    const res = await mod.http
      .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
      .send({ kind: 'warn', reason: 'Keep it civil in the kudos' })
      .expect(201);
    expect(res.body).toMatchObject({
      kind: 'warn',
      reason: 'Keep it civil in the kudos',
      active: false,
      user: { handle: 'ada' },
    });
    expect((await notifications(ada))[0]).toMatchObject({
      kind: 'moderation.sanction.changed',
      title: 'A moderator warned you: Keep it civil in the kudos',
    });
    await kudo(ada, bob, 'Still here');
  });

  it('silences a person until a date: the gate refuses with the reason and the end, which comes by itself', async () => {
    const until = new Date(intranet.clock.now().getTime() + 2 * 3_600_000);
    await mod.http
      .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
      .send({ kind: 'silence', until: until.toISOString(), reason: 'Cooling off after the flame war' })
      .expect(201);
    const refused = await ada.http
      .post('/api/v1/kudos')
      .send({ toUserId: bob.user.id, message: 'Let me explain' })
      .expect(422);
    expect(refused.body.errors[0].message).toBe(
      `You are silenced until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC: Cooling off after the flame war`,
    );
    // Reading still works.
    await ada.http.get('/api/v1/kudos').expect(200);
    intranet.clock.advance(2 * 3_600_000 + 1000);
    await kudo(ada, bob, 'Back, and calmer');
    await minuteLater();
    expect((await notifications(ada))[0].title).toBe('Your silence has ended: you can post again');
    const active = await mod.http.get('/api/v1/moderation/sanctions').query({ active: 'true' }).expect(200);
    expect(active.body.items).toEqual([]);
  });

  it('suspends an account: no sign-in, no token, until it ends by itself', async () => {
    const until = new Date(intranet.clock.now().getTime() + 86_400_000);
    await mod.http
      .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
      .send({ kind: 'suspend', until: until.toISOString(), reason: 'Harassment' })
      .expect(201);
    await ada.http.get('/api/v1/kudos').expect(401);
    await intranet.http.post('/api/v1/auth/login').send({ email: 'ada@example.test', password: PASSWORD }).expect(401);
    intranet.clock.advance(86_400_000);
    await minuteLater();
    await intranet
      .agent()
      .post('/api/v1/auth/login')
      .send({ email: 'ada@example.test', password: PASSWORD })
      .expect(200);
    await ada.http.get('/api/v1/kudos').expect(200);
    expect((await notifications(ada))[0].title).toBe('Your suspension has ended: you can sign in again');
    const audit = intranet.events.filter((e) => e.name === 'moderation.sanction.ended');
    expect(audit.length).toBeGreaterThanOrEqual(2);
  });

  it('lifts a silence early, with a reason', async () => {
    const issued = await mod.http
      .post(`/api/v1/moderation/users/${bob.user.id}/sanctions`)
      .send({ kind: 'silence', reason: 'Spam run' })
      .expect(201);
    expect(issued.body).toMatchObject({ until: null, active: true });
    await bob.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'x' }).expect(422);
    const lifted = await mod.http
      .post(`/api/v1/moderation/sanctions/${issued.body.id}/lift`)
      .send({ reason: 'Account recovered' })
      .expect(200);
    expect(lifted.body).toMatchObject({ active: false, endReason: 'Account recovered' });
    await kudo(bob, ada, 'Sorry about the spam');
    expect((await notifications(bob))[0].title).toBe(
      'A moderator lifted a sanction on your account: Account recovered',
    );
    await mod.http.post(`/api/v1/moderation/sanctions/${issued.body.id}/lift`).send({ reason: 'again' }).expect(422);
  });

  it('refuses bad sanctions, naming the field, and people without the permission', async () => {
    const past = await mod.http
      .post(`/api/v1/moderation/users/${bob.user.id}/sanctions`)
      .send({ kind: 'silence', until: '2000-01-01T00:00:00Z', reason: 'x' })
      .expect(422);
    expect(past.body.errors).toEqual([{ field: 'until', message: 'must be in the future' }]);
    const warnUntil = await mod.http
      .post(`/api/v1/moderation/users/${bob.user.id}/sanctions`)
      .send({ kind: 'warn', until: new Date(Date.now() + 86_400_000 * 400).toISOString(), reason: 'x' })
      .expect(422);
    expect(warnUntil.body.errors[0].field).toBe('until');
    const self = await mod.http
      .post(`/api/v1/moderation/users/${mod.user.id}/sanctions`)
      .send({ kind: 'warn', reason: 'me' })
      .expect(422);
    expect(self.body.errors[0].field).toBe('userId');
    await mod.http.post('/api/v1/moderation/users/nobody/sanctions').send({ kind: 'warn', reason: 'x' }).expect(404);
    await mod.http
      .post(`/api/v1/moderation/users/${bob.user.id}/sanctions`)
      .send({ kind: 'ban', reason: '' })
      .expect(422);
    await bob.http
      .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
      .send({ kind: 'warn', reason: 'x' })
      .expect(403);
  });

  it('lists a person’s sanctions for moderators', async () => {
    const list = await mod.http.get(`/api/v1/moderation/users/${ada.user.id}/sanctions`).expect(200);
    expect(list.body.items.map((s: { kind: string }) => s.kind)).toEqual(['suspend', 'silence', 'warn']);
  });
});
