import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor, kudo, notifications, queue, settings } from './support';

jest.setTimeout(60_000);

/** Reports, the queue and decisions, on the kudos example's content. */
describe('reports and the review queue', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let cy: TestUser;
  let dee: TestUser;
  let mod: TestUser;
  let mod2: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, moderation] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    cy = await intranet.createUser({ handle: 'cy', displayName: 'Cy Young' });
    dee = await intranet.createUser({ handle: 'dee', displayName: 'Dee Dee' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    mod2 = await intranet.createUser({ handle: 'mod2', displayName: 'Second Moderator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
  });
  afterAll(() => intranet.close());

  it('takes a member’s report and shows it in the reports lane with the content in context', async () => {
    const k = await kudo(ada, bob, 'Thanks for nothing, as usual');
    const report = await bob.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'abuse', note: 'Sarcastic and hurtful' })
      .expect(201);
    expect(report.body).toMatchObject({
      contentId: k.contentId,
      reason: 'abuse',
      note: 'Sarcastic and hurtful',
      hidden: false,
    });
    const item = await itemFor(mod, 'reports', k.contentId);
    expect(item).toMatchObject({
      lane: 'reports',
      status: 'open',
      reportCount: 1,
      content: {
        contentId: k.contentId,
        type: 'kudos.kudo',
        typeName: 'Kudo',
        status: 'published',
        excerpt: 'Thanks for nothing, as usual',
        url: `/kudos#kudos.kudo-${k.id}`,
        author: { handle: 'ada' },
      },
      reports: [{ reason: 'abuse', note: 'Sarcastic and hurtful', reporter: { handle: 'bob' }, source: 'member' }],
    });
  });

  it('answers a second report by the same member with 409, and keeps one report', async () => {
    const k = await kudo(ada, bob, 'Another one');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'spam' }).expect(201);
    const again = await cy.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'other' })
      .expect(409);
    expect(again.body.detail).toMatch(/already reported/);
    expect((await itemFor(mod, 'reports', k.contentId))?.reportCount).toBe(1);
  });

  it('refuses reports of invisible content (404), of one’s own (422) and with a bad reason (422 naming it)', async () => {
    await bob.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: 'no-such-content', reason: 'spam' })
      .expect(404);
    const k = await kudo(ada, bob, 'My own words');
    const own = await ada.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'spam' })
      .expect(422);
    expect(own.body.errors).toEqual([{ field: 'contentId', message: 'you cannot report your own content' }]);
    const bad = await bob.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'ugly' })
      .expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    await intranet.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'spam' }).expect(401);
  });

  it('hides an item after three reports from different members until a moderator reviews it', async () => {
    const k = await kudo(ada, bob, 'You are all idiots');
    for (const reporter of [bob, cy]) {
      const r = await reporter.http
        .post('/api/v1/moderation/reports')
        .send({ contentId: k.contentId, reason: 'abuse' })
        .expect(201);
      expect(r.body.hidden).toBe(false);
    }
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(200);
    const third = await dee.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'abuse' })
      .expect(201);
    expect(third.body.hidden).toBe(true);
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(404);
    expect(
      (await intranet.http.get('/api/v1/kudos').expect(200)).body.items.map((i: { id: string }) => i.id),
    ).not.toContain(k.id);
    const item = await itemFor(mod, 'reports', k.contentId);
    expect(item).toMatchObject({ reportCount: 3, autoHidden: true, content: { status: 'hidden' } });
    expect((await notifications(ada))[0].title).toBe(
      'Your “You are all idiots” was hidden after 3 reports, until a moderator reviews it',
    );

    // The moderator finds no violation: it is back, and each reporter hears the outcome.
    await mod.http
      .post(`/api/v1/moderation/queue/${item!.id}/decision`)
      .send({ action: 'approve', reason: 'Blunt, but allowed' })
      .expect(200);
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(200);
    for (const reporter of [bob, cy, dee]) {
      expect((await notifications(reporter))[0].title).toBe(
        'A moderator looked at your report about “You are all idiots” and found no rule broken',
      );
    }
    expect((await notifications(ada))[0].title).toBe(
      'A moderator restored your “You are all idiots”: Blunt, but allowed',
    );
  });

  it('hides reported content on a decision, tells the author by role and why, and the reporters the outcome', async () => {
    const k = await kudo(ada, bob, 'Buy cheap watches at example.test');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'spam' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    const decided = await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'hide', reason: 'Advertising is not what kudos are for' })
      .expect(200);
    expect(decided.body).toMatchObject({
      status: 'decided',
      decision: { action: 'hide', reason: 'Advertising is not what kudos are for', by: { handle: 'mod' } },
      content: { status: 'hidden' },
    });
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(404);
    expect((await notifications(ada))[0]).toMatchObject({
      kind: 'moderation.content.decided',
      title: 'A moderator hid your “Buy cheap watches at example.test”: Advertising is not what kudos are for',
      url: '/moderation/history',
    });
    expect((await notifications(cy))[0].title).toBe(
      'A moderator acted on your report about “Buy cheap watches at example.test”: thank you',
    );
    expect(await itemFor(mod, 'reports', k.contentId)).toBeUndefined();
  });

  it('answers a second decision on a decided item with 409', async () => {
    const k = await kudo(ada, bob, 'Decided once');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'dismiss', reason: 'Nothing wrong' })
      .expect(200);
    const again = await mod2.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'delete', reason: 'Changed my mind' })
      .expect(409);
    expect(again.body.detail).toMatch(/already decided/);
  });

  it('requires a reason and a known action for a decision (422 naming each)', async () => {
    const k = await kudo(ada, bob, 'Needs a reason');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    const res = await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'ban', reason: '' })
      .expect(422);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'reason']);
    await mod.http
      .post('/api/v1/moderation/queue/no-such-item/decision')
      .send({ action: 'hide', reason: 'x' })
      .expect(404);
  });

  it('lets one moderator claim an item: others cannot decide it until it is released', async () => {
    const k = await kudo(ada, bob, 'Claim me');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    const claimed = await mod.http.post(`/api/v1/moderation/queue/${item.id}/claim`).expect(200);
    expect(claimed.body.claimedBy).toMatchObject({ handle: 'mod' });
    const taken = await mod2.http.post(`/api/v1/moderation/queue/${item.id}/claim`).expect(409);
    expect(taken.body.detail).toBe('Mo Derator has claimed this item');
    await mod2.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'hide', reason: 'x' })
      .expect(409);
    await mod2.http.delete(`/api/v1/moderation/queue/${item.id}/claim`).expect(200);
    await mod2.http.post(`/api/v1/moderation/queue/${item.id}/claim`).expect(200);
  });

  it('keeps internal notes for moderators, never for the author', async () => {
    const k = await kudo(ada, bob, 'Note-worthy');
    await cy.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/notes`)
      .send({ text: 'Ada had a rough week; be gentle' })
      .expect(201);
    const detail = await mod2.http.get(`/api/v1/moderation/queue/${item.id}`).expect(200);
    expect(detail.body.notes).toEqual([
      expect.objectContaining({
        text: 'Ada had a rough week; be gentle',
        author: expect.objectContaining({ handle: 'mod' }),
      }),
    ]);
    expect(detail.body.history).toMatchObject({
      author: { handle: 'ada' },
      content: { published: expect.any(Number) },
    });
    await ada.http.get(`/api/v1/moderation/queue/${item.id}`).expect(403);
    const history = await ada.http.get('/api/v1/moderation/history').expect(200);
    expect(JSON.stringify(history.body)).not.toContain('rough week');
  });

  it('shows the author’s history of decisions beside a new item', async () => {
    const k = await kudo(ada, bob, 'History lesson');
    await dee.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'other' }).expect(201);
    const item = (await itemFor(mod, 'reports', k.contentId))!;
    const detail = await mod.http.get(`/api/v1/moderation/queue/${item.id}`).expect(200);
    expect(detail.body.history.decisions).toMatchObject({ hide: 1, approve: 1, dismiss: 1 });
    expect(detail.body.history.recent[0]).toMatchObject({ lane: 'reports' });
  });

  it('pages the queue by cursor, oldest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null } } =
        await mod.http
          .get('/api/v1/moderation/queue')
          .query({ lane: 'reports', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
      seen.push(...res.body.items.map((i) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await queue(mod, 'reports')).length);
    await mod.http.get('/api/v1/moderation/queue').query({ lane: 'nope' }).expect(422);
    await mod.http.get('/api/v1/moderation/queue').query({ cursor: '!!' }).expect(422);
  });

  it('lets an administrator change the threshold (and refuses a bad value, naming it)', async () => {
    await settings(intranet, admin, { reportThreshold: 1 });
    const k = await kudo(ada, bob, 'One strike');
    const r = await bob.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: k.contentId, reason: 'spam' })
      .expect(201);
    expect(r.body.hidden).toBe(true);
    const bad = await admin.http.put('/api/v1/moderation/settings').send({ reportThreshold: -1 }).expect(422);
    expect(bad.body.errors[0].field).toBe('reportThreshold');
    await mod.http.put('/api/v1/moderation/settings').send({ reportThreshold: 5 }).expect(403);
    await settings(intranet, admin, { reportThreshold: 3 });
  });
});
