import kudos from '@plein/example-kudos';
import wiki from '@plein/plugin-wiki';
import { Contents, definePlugin } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor, kudo, notifications, queue, settings, space, wikiPage } from './support';

jest.setTimeout(90_000);

/** Another plugin's gate that holds what mentions "audit": moderation queues what any gate holds. */
const auditGate = definePlugin({
  id: 'auditgate',
  version: '1.0.0',
  sdk: '^1.0.0',
  displayName: 'Audit gate (fixture)',
  lifecycle: {
    init: (ctx) =>
      ctx.get(Contents).registerGate({
        name: 'auditgate',
        check: (input) =>
          /\baudit\b/i.test(input.text)
            ? { action: 'hold', reason: 'Audit matters go to the auditors first' }
            : { action: 'publish' },
      }),
  },
});

const rule = (mod: TestUser, body: Record<string, unknown>, expected = 201) =>
  mod.http.post('/api/v1/moderation/rules').send(body).expect(expected);

/** Watched words and topics, pre-approval and slow mode, on kudos and wiki content. */
describe('the moderation gate', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;
  let mod: TestUser;
  let hr: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, wiki, moderation, auditGate] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace' });
    bob = await intranet.createUser({ handle: 'bob', displayName: 'Bob Builder' });
    mod = await intranet.createUser({ handle: 'mod', displayName: 'Mo Derator', roles: ['moderator'] });
    hr = await intranet.createUser({ handle: 'hr', displayName: 'Hari Ressources', roles: ['moderator'] });
    admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
  });
  afterAll(() => intranet.close());

  it('rejects a kudo with a rejected word, with the rule’s message, and stores nothing', async () => {
    const r = await rule(mod, {
      pattern: 'idiot*',
      match: 'word',
      action: 'reject',
      message: 'Please be kind to colleagues',
    });
    expect(r.body).toMatchObject({
      pattern: 'idiot*',
      match: 'word',
      action: 'reject',
      enabled: true,
      state: 'active',
    });
    const refused = await ada.http
      .post('/api/v1/kudos')
      .send({ toUserId: bob.user.id, message: 'Thanks, you IDIOTS' })
      .expect(422);
    expect(refused.body.errors).toEqual([{ field: 'text', message: 'Please be kind to colleagues' }]);
    expect((await intranet.http.get('/api/v1/kudos').expect(200)).body.items).toEqual([]);
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
    await kudo(ada, bob, 'Thanks, you idiots (said fondly)');
  });

  it('censors a word with its replacement and publishes the rest', async () => {
    const r = await rule(mod, { pattern: 'darn', match: 'word', action: 'censor', replacement: '[…]' });
    const k = await kudo(ada, bob, 'Darn good work on the release');
    expect(k).toMatchObject({ status: 'published', message: '[…] good work on the release' });
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
  });

  it('publishes what a flag rule matches and puts it in the reports lane', async () => {
    const r = await rule(mod, { pattern: 'salar(y|ies)', match: 'regex', action: 'flag' });
    const k = await kudo(ada, bob, 'You deserve a higher salary');
    expect(k.status).toBe('published');
    const item = await itemFor(mod, 'reports', k.contentId);
    expect(item).toMatchObject({
      reason: 'Flagged by a watched word: “salary”',
      reports: [{ source: 'rule', reason: 'rule', ruleId: r.body.id, reporter: null }],
      content: { status: 'published' },
    });
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
  });

  it('holds what a hold rule matches for review, tells the author, and publishes it on approval', async () => {
    const r = await rule(mod, {
      pattern: 'layoff*',
      match: 'word',
      action: 'hold',
      message: 'Posts about layoffs are reviewed first',
    });
    const k = await kudo(ada, bob, 'Thanks for the help with the layoffs memo');
    expect(k.status).toBe('pending');
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(404);
    await intranet.runDueJobs();
    expect((await notifications(ada))[0]).toMatchObject({
      kind: 'moderation.content.held',
      title:
        'Your “Thanks for the help with the layoffs memo” is waiting for review: Posts about layoffs are reviewed first',
    });
    const item = (await itemFor(mod, 'held', k.contentId))!;
    expect(item).toMatchObject({ reason: 'Posts about layoffs are reviewed first', content: { status: 'pending' } });
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'approve', reason: 'Fine to share' })
      .expect(200);
    await intranet.http.get(`/api/v1/kudos/${k.id}`).expect(200);
    expect((await notifications(ada))[0].title).toBe(
      'A moderator approved your “Thanks for the help with the layoffs memo”: Fine to share',
    );
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
  });

  it('refuses to dismiss a held item: it is approved, hidden or deleted', async () => {
    const r = await rule(mod, { pattern: 'merger', match: 'word', action: 'hold' });
    const k = await kudo(ada, bob, 'Great merger work');
    const item = (await itemFor(mod, 'held', k.contentId))!;
    const res = await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'dismiss', reason: 'meh' })
      .expect(422);
    expect(res.body.errors[0]).toEqual({ field: 'action', message: 'a held item is approved, hidden or deleted' });
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'delete', reason: 'Confidential' })
      .expect(200);
    expect((await intranet.get(Contents).get(k.contentId))?.status).toBe('deleted');
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
  });

  it('puts what another plugin’s gate holds in the held lane too', async () => {
    const k = await kudo(ada, bob, 'Thanks for the audit checklist');
    expect(k.status).toBe('pending');
    expect(await itemFor(mod, 'held', k.contentId)).toBeUndefined();
    await intranet.runDueJobs();
    expect(await itemFor(mod, 'held', k.contentId)).toMatchObject({ reason: 'Audit matters go to the auditors first' });
  });

  it('refuses malformed and catastrophic regular expressions with 422 and the reason', async () => {
    const catastrophic = await rule(mod, { pattern: '(a+)+$', match: 'regex', action: 'hold' }, 422);
    expect(catastrophic.body.errors).toEqual([
      { field: 'pattern', message: expect.stringMatching(/backtrack catastrophically/) },
    ]);
    const malformed = await rule(mod, { pattern: 'salar(y', match: 'regex', action: 'hold' }, 422);
    expect(malformed.body.errors[0]).toMatchObject({
      field: 'pattern',
      message: expect.stringMatching(/not a valid regular expression/),
    });
    const empty = await rule(mod, { pattern: 'x*', match: 'regex', action: 'hold' }, 422);
    expect(empty.body.errors[0].message).toMatch(/empty text/);
    const word = await rule(mod, { pattern: 'a|b', match: 'word', action: 'hold' }, 422);
    expect(word.body.errors[0].field).toBe('pattern');
    const dry = await mod.http
      .post('/api/v1/moderation/rules/dry-run')
      .send({ pattern: '(x+x+)+y', match: 'regex' })
      .expect(422);
    expect(dry.body.errors[0].field).toBe('pattern');
    const unknown = await rule(mod, { pattern: 'x', match: 'glob', action: 'explode' }, 422);
    expect(unknown.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['action', 'match']);
  });

  it('shows in a dry run what a rule would have matched, before it is enabled', async () => {
    await kudo(ada, bob, 'Thanks for explaining the reorganisation');
    await kudo(bob, ada, 'The reorganization slides were great');
    await wikiPage(ada, 'Reorganisation FAQ', 'What changes for whom during the reorganisation.');
    const dry = await mod.http
      .post('/api/v1/moderation/rules/dry-run')
      .send({ pattern: 'reorgani[sz]ation', match: 'regex' })
      .expect(200);
    expect(dry.body).toMatchObject({
      days: 90,
      matched: 3,
      byType: { 'kudos.kudo': 2, 'wiki.page': 1 },
      byStatus: { published: 3 },
      truncated: false,
    });
    expect(dry.body.scanned).toBeGreaterThanOrEqual(3);
    expect(dry.body.examples).toHaveLength(3);
    expect(dry.body.examples[0]).toMatchObject({
      type: 'wiki.page',
      typeName: 'Wiki page',
      title: 'Reorganisation FAQ',
      url: expect.stringMatching(/^\/wiki\/p\//),
    });
    expect(dry.body.examples.map((e: { matched: string }) => e.matched.toLowerCase()).sort()).toEqual([
      'reorganisation',
      'reorganisation',
      'reorganization',
    ]);
    // Stored but not enabled: the gate ignores it; the dry run of the stored rule says the same.
    const stored = await rule(mod, { pattern: 'reorgani[sz]ation', match: 'regex', action: 'hold', enabled: false });
    expect(stored.body.state).toBe('disabled');
    expect((await kudo(ada, bob, 'More reorganisation thanks')).status).toBe('published');
    const again = await mod.http.get(`/api/v1/moderation/rules/${stored.body.id}/dry-run`).expect(200);
    expect(again.body.matched).toBe(4);
    await mod.http.patch(`/api/v1/moderation/rules/${stored.body.id}`).send({ enabled: true }).expect(200);
    expect((await kudo(ada, bob, 'Even more reorganisation thanks')).status).toBe('pending');
    await mod.http.delete(`/api/v1/moderation/rules/${stored.body.id}`).expect(204);
  });

  it('applies a sensitive period only while it lasts: it ends by itself', async () => {
    const now = intranet.clock.now().getTime();
    const r = await rule(mod, {
      pattern: 'restructuring',
      match: 'word',
      action: 'hold',
      activeFrom: new Date(now - 60_000).toISOString(),
      activeUntil: new Date(now + 3_600_000).toISOString(),
      note: 'Until the announcement on Friday',
    });
    expect(r.body.state).toBe('active');
    expect((await kudo(ada, bob, 'Thanks for keeping the restructuring calm')).status).toBe('pending');
    intranet.clock.advance(3_600_000 + 1000);
    expect((await kudo(ada, bob, 'Thanks for the restructuring recap')).status).toBe('published');
    expect((await mod.http.get(`/api/v1/moderation/rules/${r.body.id}`).expect(200)).body.state).toBe('ended');
    const scheduled = await rule(mod, {
      pattern: 'tender',
      match: 'word',
      action: 'reject',
      activeFrom: new Date(intranet.clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(scheduled.body.state).toBe('scheduled');
    expect((await kudo(ada, bob, 'The tender went well')).status).toBe('published');
    const bad = await rule(
      mod,
      {
        pattern: 'x',
        match: 'word',
        action: 'hold',
        activeFrom: '2030-01-02T00:00:00Z',
        activeUntil: '2030-01-01T00:00:00Z',
      },
      422,
    );
    expect(bad.body.errors[0].field).toBe('activeUntil');
  });

  it('routes held items to a moderator group (a role): only its members see and decide them', async () => {
    await admin.http.post('/api/v1/roles').send({ name: 'hr-moderators', description: 'HR' }).expect(201);
    await admin.http
      .patch(`/api/v1/users/${hr.user.id}`)
      .send({ roles: ['moderator', 'hr-moderators'] })
      .expect(200);
    const r = await rule(mod, { pattern: 'dismissal', match: 'word', action: 'hold', routeRole: 'hr-moderators' });
    const k = await kudo(ada, bob, 'Thanks for handling the dismissal with care');
    const forHr = await itemFor(hr, 'held', k.contentId);
    expect(forHr).toMatchObject({ routeRole: 'hr-moderators' });
    expect(await itemFor(mod, 'held', k.contentId)).toBeUndefined();
    await mod.http
      .post(`/api/v1/moderation/queue/${forHr!.id}/decision`)
      .send({ action: 'approve', reason: 'x' })
      .expect(403);
    await hr.http
      .post(`/api/v1/moderation/queue/${forHr!.id}/decision`)
      .send({ action: 'approve', reason: 'Handled well' })
      .expect(200);
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
  });

  it('limits a rule to its space, and a space moderator to rules of their spaces', async () => {
    const spaceMod = await intranet.createUser({ handle: 'smod', displayName: 'Space Mod' });
    const sales = await space(admin, 'sales', [
      [spaceMod, 'moderator'],
      [ada, 'member'],
    ]);
    const r = await rule(spaceMod, {
      pattern: 'discount',
      match: 'word',
      action: 'reject',
      spaceId: sales.id,
      message: 'No discounts here',
    });
    expect(r.body.spaceId).toBe(sales.id);
    const refused = await ada.http
      .post('/api/v1/wiki/pages')
      .send({ title: 'Offer', body: 'A discount for all', spaceId: sales.id })
      .expect(422);
    expect(refused.body.errors[0].message).toBe('No discounts here');
    await wikiPage(ada, 'Offer', 'A discount for all');
    await rule(spaceMod, { pattern: 'discount', match: 'word', action: 'reject' }, 403);
    const listed = await spaceMod.http.get('/api/v1/moderation/rules').expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([r.body.id]);
    await bob.http.get('/api/v1/moderation/rules').expect(403);
  });

  it('holds every new post in a pre-moderated space', async () => {
    const legal = await space(admin, 'legal', [[ada, 'member']]);
    await mod.http.put(`/api/v1/moderation/spaces/${legal.id}/settings`).send({ premoderated: true }).expect(200);
    const page = await wikiPage(ada, 'Contract template', 'Standard terms', legal.id);
    expect(page.status).toBe('pending');
    const item = (await itemFor(mod, 'held', page.contentId))!;
    expect(item.reason).toBe('Posts in this space are reviewed before they appear');
    await mod.http.put(`/api/v1/moderation/spaces/${legal.id}/settings`).send({ premoderated: false }).expect(200);
    expect((await wikiPage(ada, 'Second template', 'More terms', legal.id)).status).toBe('published');
    await bob.http.put(`/api/v1/moderation/spaces/${legal.id}/settings`).send({ premoderated: true }).expect(403);
  });

  it('enforces slow mode in a space: one post per N seconds per person', async () => {
    const chat = await space(admin, 'chat', [
      [ada, 'member'],
      [bob, 'member'],
    ]);
    const set = await mod.http.put(`/api/v1/moderation/spaces/chat/settings`).send({ slowModeSeconds: 60 }).expect(200);
    expect(set.body).toMatchObject({ spaceId: chat.id, slowModeSeconds: 60, premoderated: false });
    await wikiPage(ada, 'First', 'one', chat.id);
    const refused = await wikiPage(ada, 'Second', 'two', chat.id, 422);
    expect((refused as unknown as { errors: Array<{ message: string }> }).errors[0].message).toMatch(
      /^Slow mode: one post every 60 seconds in this space\. Try again in \d+ seconds\.$/,
    );
    await wikiPage(bob, 'Bob first', 'one', chat.id);
    intranet.clock.advance(61_000);
    await wikiPage(ada, 'Second', 'two', chat.id);
    await mod.http.put(`/api/v1/moderation/spaces/chat/settings`).send({ slowModeSeconds: -5 }).expect(422);
  });

  it('holds the first posts of a new account when the setting says so', async () => {
    await settings(intranet, admin, { newAccountHoldCount: 2 });
    const newbie = await intranet.createUser({ handle: 'newbie' });
    const first = await kudo(newbie, ada, 'Hello everyone');
    expect(first.status).toBe('pending');
    const item = (await itemFor(mod, 'held', first.contentId))!;
    expect(item.reason).toBe('The first 2 posts of a new account are reviewed before they appear');
    await mod.http
      .post(`/api/v1/moderation/queue/${item.id}/decision`)
      .send({ action: 'approve', reason: 'Welcome' })
      .expect(200);
    const second = await kudo(newbie, ada, 'Second post');
    await mod.http
      .post(`/api/v1/moderation/queue/${(await itemFor(mod, 'held', second.contentId))!.id}/decision`)
      .send({ action: 'approve', reason: 'Fine' })
      .expect(200);
    expect((await kudo(newbie, ada, 'Third post')).status).toBe('published');
    await settings(intranet, admin, { newAccountHoldCount: 0 });
  });

  it('checks wiki edits too: a held edit keeps the page out of listings until approved', async () => {
    const page = await wikiPage(bob, 'Team lunch', 'Every Friday');
    const r = await rule(mod, { pattern: 'strike', match: 'word', action: 'hold' });
    const edited = await bob.http
      .put(`/api/v1/wiki/pages/${page.id}`)
      .send({ body: 'Cancelled: strike on Friday', baseRevision: 1 })
      .expect(200);
    expect(edited.body.status).toBe('pending');
    const item = await itemFor(mod, 'held', page.contentId);
    expect(item).toBeDefined();
    await mod.http.delete(`/api/v1/moderation/rules/${r.body.id}`).expect(204);
    expect((await queue(mod, 'held')).length).toBeGreaterThan(0);
  });
});

describe('the moderation plugin alone', () => {
  it('boots without any content plugin and answers its API', async () => {
    const intranet = await createTestIntranet({ plugins: [moderation] });
    try {
      const mod = await intranet.createUser({ roles: ['moderator'] });
      expect((await mod.http.get('/api/v1/moderation/queue').expect(200)).body).toEqual({
        items: [],
        nextCursor: null,
      });
      await mod.http.post('/api/v1/moderation/rules').send({ pattern: 'x', match: 'word', action: 'hold' }).expect(201);
      const health = await intranet.http.get('/api/v1/health').expect(200);
      expect(health.body.plugins).toEqual([expect.objectContaining({ id: 'moderation', state: 'enabled' })]);
      const openapi = await intranet.http.get('/api/docs-json').expect(200);
      expect(Object.keys(openapi.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/moderation/reports',
          '/api/v1/moderation/queue/{id}/decision',
          '/api/v1/moderation/log.csv',
        ]),
      );
    } finally {
      await intranet.close();
    }
  });
});
