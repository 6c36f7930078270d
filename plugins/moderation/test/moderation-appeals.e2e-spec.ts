import kudos from '@plein/example-kudos';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor, kudo, notifications, queue, settings } from './support';

jest.setTimeout(60_000);

/** Due process: appeals to another moderator, and each person's moderation history. */
describe('appeals and moderation history', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;
  let mod2: TestUser;
  let admin: TestUser;

  /** Bob reports Ada's kudo, `decider` hides it; returns the kudo and the decided item. */
  async function hidden(message: string, decider: TestUser) {
    const k = await kudo(ada, bob, message);
    await bob.http.post('/api/v1/moderation/reports').send({ contentId: k.contentId, reason: 'abuse' }).expect(201);
    const item = (await itemFor(decider, 'reports', k.contentId))!;
    await decider.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'hide', reason: 'Unkind' })
      .expect(200);
    return { k, item };
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, moderation] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    mod2 = await intranet.createUser({ handle: 'mod2', displayName: 'Second Moderator', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
  });
  afterAll(() => intranet.close());

  it('sends an appeal to a different moderator than the one who decided, who can restore the content', async () => {
    const { k, item } = await hidden('Honest feedback, bluntly put', mod);
    const appeal = await ada.http
      .post('/api/v1/moderation/appeals')
      .send({ contentId: k.contentId, text: 'It was feedback my team asked for' })
      .expect(201);
    expect(appeal.body).toMatchObject({
      lane: 'appeals',
      status: 'open',
      appeal: { text: 'It was feedback my team asked for', appealOfItemId: item.id },
      content: { status: 'hidden' },
    });
    // The moderator who decided neither sees the appeal nor may decide it.
    expect((await queue(mod, 'appeals')).map((i) => i.id)).not.toContain(appeal.body.id);
    await mod.http.get(`/api/v1/moderation/queue/${appeal.body.id}`).expect(403);
    const own = await mod.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'approve', reason: 'I was wrong' })
      .expect(403);
    expect(own.body.detail).toMatch(/another moderator decides the appeal/);
    const detail = await mod2.http.get(`/api/v1/moderation/queue/${appeal.body.id}`).expect(200);
    expect(detail.body.appealOf).toMatchObject({
      id: item.id,
      decision: { action: 'hide', reason: 'Unkind', by: { handle: 'mod' } },
    });
    await mod2.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'approve', reason: 'Feedback that was asked for' })
      .expect(200);
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(200);
    expect((await notifications(ada))[0]).toMatchObject({
      kind: 'moderation.appeal.decided',
      title: 'A moderator granted your appeal about “Honest feedback, bluntly put”: Feedback that was asked for',
    });
  });

  it('takes one appeal per decision (409), none for undecided content (422) and none from others (404)', async () => {
    const { k } = await hidden('Second try', mod);
    await ada.http.post('/api/v1/moderation/appeals').send({ contentId: k.contentId, text: 'Please' }).expect(201);
    const again = await ada.http
      .post('/api/v1/moderation/appeals')
      .send({ contentId: k.contentId, text: 'Pretty please' })
      .expect(409);
    expect(again.body.detail).toMatch(/appealed once/);
    await bob.http.post('/api/v1/moderation/appeals').send({ contentId: k.contentId, text: 'For Ada' }).expect(404);
    const fresh = await kudo(ada, bob, 'Nothing happened to this');
    const nothing = await ada.http
      .post('/api/v1/moderation/appeals')
      .send({ contentId: fresh.contentId, text: 'Why?' })
      .expect(422);
    expect(nothing.body.errors[0]).toEqual({
      field: 'contentId',
      message: 'nothing to appeal: no moderator decided to hide or delete this',
    });
    await ada.http.post('/api/v1/moderation/appeals').send({ text: 'Neither' }).expect(422);
    await ada.http.post('/api/v1/moderation/appeals').send({ contentId: k.contentId }).expect(422);
  });

  it('tells the author when an appeal is refused, and the decision stands', async () => {
    const { k } = await hidden('Third strike', mod);
    const appeal = await ada.http
      .post('/api/v1/moderation/appeals')
      .send({ contentId: k.contentId, text: 'Unfair' })
      .expect(201);
    await mod2.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'dismiss', reason: 'The decision stands' })
      .expect(200);
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(404);
    expect((await notifications(ada))[0].title).toBe(
      'A moderator did not grant your appeal about “Third strike”: The decision stands',
    );
  });

  it('takes appeals of sanctions: granted, a warning is withdrawn', async () => {
    const warning = await mod.http
      .post(`/api/v1/moderation/users/${ada.user.id}/sanctions`)
      .send({ kind: 'warn', reason: 'Too many exclamation marks' })
      .expect(201);
    const appeal = await ada.http
      .post('/api/v1/moderation/appeals')
      .send({ sanctionId: warning.body.id, text: 'It was one!' })
      .expect(201);
    expect(appeal.body).toMatchObject({ sanction: { id: warning.body.id, kind: 'warn' }, content: null });
    await mod.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'approve', reason: 'x' })
      .expect(403);
    const hide = await mod2.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'hide', reason: 'x' })
      .expect(422);
    expect(hide.body.errors[0].field).toBe('action');
    await mod2.http
      .post(`/api/v1/moderation/queue/${appeal.body.id}/decision`)
      .send({ action: 'approve', reason: 'Fair point' })
      .expect(200);
    const sanctions = await mod.http.get(`/api/v1/moderation/users/${ada.user.id}/sanctions`).expect(200);
    expect(sanctions.body.items[0]).toMatchObject({ id: warning.body.id, endReason: 'Fair point' });
    expect((await notifications(ada))[0].title).toBe('A moderator granted your appeal against a sanction: Fair point');
    await bob.http.post('/api/v1/moderation/appeals').send({ sanctionId: warning.body.id, text: 'x' }).expect(404);
  });

  it('shows each person everything done to their content, by role, with what they may still appeal', async () => {
    const { k } = await hidden('History in the making', mod);
    const history = await ada.http.get('/api/v1/moderation/history').expect(200);
    const decided = history.body.items.find(
      (e: { action: string; contentId: string }) => e.action === 'item.decided' && e.contentId === k.contentId,
    );
    expect(decided).toMatchObject({
      actor: null,
      actorRole: 'moderator',
      reason: 'Unkind',
      appealable: true,
      details: { decision: 'hide' },
    });
    // Reports are not part of the author's history: who reported them stays private.
    expect(history.body.items.some((e: { action: string }) => e.action === 'report.created')).toBe(false);
    expect(JSON.stringify(history.body)).not.toContain(bob.user.id);
    await settings(intranet, admin, { revealModeratorNames: true });
    const named = await ada.http.get('/api/v1/moderation/history').expect(200);
    expect(
      named.body.items.find(
        (e: { action: string; contentId: string }) => e.action === 'item.decided' && e.contentId === k.contentId,
      ).actor,
    ).toMatchObject({
      handle: 'mod',
    });
    await settings(intranet, admin, { revealModeratorNames: false });
    const mine = await bob.http.get('/api/v1/moderation/reports/mine').expect(200);
    expect(mine.body.items[0]).toMatchObject({ contentId: k.contentId, outcome: 'hide', reason: 'abuse' });
  });

  it('names the moderator in notifications when the setting says so', async () => {
    await settings(intranet, admin, { revealModeratorNames: true });
    await hidden('Named', mod2);
    expect((await notifications(ada))[0].title).toBe('Second Moderator hid your “Named”: Unkind');
    await settings(intranet, admin, { revealModeratorNames: false });
  });
});
