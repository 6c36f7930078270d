import kudos from '@plein/example-kudos';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import moderation from '../src';
import { itemFor, kudo, queue, space, wikiPage } from './support';

jest.setTimeout(180_000);

type Actor = 'anonymous' | 'member' | 'spaceMod' | 'globalMod' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'member', 'spaceMod', 'globalMod', 'admin'];

/** What each actor gets; `ok` is any 2xx. */
type Expect = Record<Actor, 'ok' | 401 | 403 | 404 | 422>;
const row = (
  anonymous: Expect['anonymous'],
  member: Expect['member'],
  spaceMod: Expect['spaceMod'],
  globalMod: Expect['globalMod'],
  admin: Expect['admin'],
): Expect => ({
  anonymous,
  member,
  spaceMod,
  globalMod,
  admin,
});

/** Scoping, the log and its CSV, and the authorization table of every route by actor. */
describe('who may do what', () => {
  let intranet: TestIntranet;
  let author: TestUser;
  let reporter: TestUser;
  /** Whom the table's sanctions fall on. */
  let target: TestUser;
  const actors = {} as Record<Exclude<Actor, 'anonymous'>, TestUser>;
  let inA: { id: string };
  let inB: { id: string };

  /** A reported wiki page in space A or B (or an organisation-wide kudo): its open reports item. */
  async function reportedItem(where: 'A' | 'B' | 'org'): Promise<{ id: string; contentId: string }> {
    const content =
      where === 'org'
        ? await kudo(author, reporter, `Org-wide ${Math.random()}`)
        : await wikiPage(author, `Page ${Math.random()}`, 'Some text', where === 'A' ? inA.id : inB.id);
    await reporter.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: content.contentId, reason: 'other' })
      .expect(201);
    const item = (await itemFor(actors.admin, 'reports', content.contentId))!;
    return { id: item.id, contentId: content.contentId };
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, wiki, moderation] });
    author = await intranet.createUser({ handle: 'author', displayName: 'The Author' });
    reporter = await intranet.createUser({ handle: 'reporter', displayName: 'The Reporter' });
    target = await intranet.createUser({ handle: 'target', displayName: 'The Target' });
    actors.member = await intranet.createUser({ handle: 'member', displayName: 'A Member' });
    actors.spaceMod = await intranet.createUser({ handle: 'smod', displayName: 'Space Moderator' });
    actors.globalMod = await intranet.createUser({
      handle: 'gmod',
      displayName: 'Global Moderator',
      roles: ['moderator'],
    });
    actors.admin = await intranet.createUser({ handle: 'root', displayName: 'Site Admin', roles: ['admin'] });
    inA = await space(actors.admin, 'space-a', [
      [actors.spaceMod, 'moderator'],
      [author, 'member'],
      [reporter, 'member'],
      [actors.member, 'member'],
    ]);
    inB = await space(actors.admin, 'space-b', [
      [author, 'member'],
      [reporter, 'member'],
      [actors.spaceMod, 'member'],
    ]);
  });
  afterAll(() => intranet.close());

  it('shows a space moderator the items of their spaces only, and lets them act there', async () => {
    const a = await reportedItem('A');
    const b = await reportedItem('B');
    const org = await reportedItem('org');
    const seen = (await queue(actors.spaceMod)).map((i) => i.id);
    expect(seen).toContain(a.id);
    expect(seen).not.toContain(b.id);
    expect(seen).not.toContain(org.id);
    const all = (await queue(actors.globalMod)).map((i) => i.id);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id, org.id]));
    const outside = await actors.spaceMod.http
      .post(`/api/v1/moderation/queue/${b.id}/decision`)
      .send({ action: 'hide', reason: 'x' })
      .expect(403);
    expect(outside.body.detail).toBe('This item is in a space you do not moderate');
    const orgWide = await actors.spaceMod.http
      .post(`/api/v1/moderation/queue/${org.id}/decision`)
      .send({ action: 'hide', reason: 'x' })
      .expect(403);
    expect(orgWide.body.detail).toMatch(/organisation-wide/);
    await actors.spaceMod.http.get('/api/v1/moderation/queue').query({ spaceId: inB.id }).expect(403);
    await actors.spaceMod.http
      .post(`/api/v1/moderation/queue/${a.id}/decision`)
      .send({ action: 'hide', reason: 'Off-topic for A' })
      .expect(200);
    const member = await actors.member.http.get('/api/v1/moderation/queue').expect(403);
    expect(member.body.detail).toMatch(/moderation.queue.review/);
    await intranet.http.get('/api/v1/moderation/queue').expect(401);
  });

  it('answers 404 to a report of content in a private space the reporter cannot see', async () => {
    const secret = await space(actors.admin, 'secret', [[author, 'member']], 'private');
    const page = await wikiPage(author, 'Board minutes', 'Confidential', secret.id);
    await actors.member.http
      .post('/api/v1/moderation/reports')
      .send({ contentId: page.contentId, reason: 'confidential' })
      .expect(404);
  });

  it('logs every action with who, when and why; filters it; a space moderator reads their spaces’ entries', async () => {
    const a = await reportedItem('A');
    await actors.globalMod.http
      .post(`/api/v1/moderation/queue/${a.id}/decision`)
      .send({ action: 'delete', reason: 'Duplicate page' })
      .expect(200);
    const log = await actors.globalMod.http
      .get('/api/v1/moderation/log')
      .query({ action: 'item.decided', contentId: a.contentId })
      .expect(200);
    expect(log.body.items).toEqual([
      expect.objectContaining({
        action: 'item.decided',
        actor: expect.objectContaining({ handle: 'gmod' }),
        actorRole: 'moderator',
        user: expect.objectContaining({ handle: 'author' }),
        spaceId: inA.id,
        reason: 'Duplicate page',
        details: expect.objectContaining({ decision: 'delete', from: 'published', to: 'deleted' }),
      }),
    ]);
    const byActor = await actors.globalMod.http
      .get('/api/v1/moderation/log')
      .query({ actorId: actors.spaceMod.user.id })
      .expect(200);
    expect(byActor.body.items.every((e: { actor: { handle: string } }) => e.actor.handle === 'smod')).toBe(true);
    const spaceLog = await actors.spaceMod.http.get('/api/v1/moderation/log').query({ limit: 100 }).expect(200);
    expect(spaceLog.body.items.length).toBeGreaterThan(0);
    expect(spaceLog.body.items.every((e: { spaceId: string }) => e.spaceId === inA.id)).toBe(true);
    const since = await actors.globalMod.http.get('/api/v1/moderation/log').query({ since: '2999-01-01' }).expect(200);
    expect(since.body.items).toEqual([]);
    const bad = await actors.globalMod.http.get('/api/v1/moderation/log').query({ since: 'yesterday-ish' }).expect(422);
    expect(bad.body.errors[0].field).toBe('since');
  });

  it('exports the log as CSV, every matching entry, with formulas defused', async () => {
    const org = await reportedItem('org');
    await actors.globalMod.http
      .post(`/api/v1/moderation/queue/${org.id}/decision`)
      .send({ action: 'hide', reason: '=HYPERLINK("http://evil.example")' })
      .expect(200);
    const csv = await actors.globalMod.http
      .get('/api/v1/moderation/log.csv')
      .query({ action: 'item.decided' })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="moderation-log.csv"');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('at,action,actor,actor_role,user,item_id,content_id,space_id,reason,details');
    const json = await actors.globalMod.http
      .get('/api/v1/moderation/log')
      .query({ action: 'item.decided', limit: 100 })
      .expect(200);
    expect(lines.length - 1).toBe(json.body.items.length);
    const hostile = lines.find((l) => l.includes('HYPERLINK'))!;
    expect(hostile).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
    expect(hostile).toContain(',gmod,moderator,author,');
    await actors.member.http.get('/api/v1/moderation/log.csv').expect(403);
  });

  it('follows the authorization table for every route', async () => {
    const globalRule = async () =>
      (
        await actors.admin.http
          .post('/api/v1/moderation/rules')
          .send({ pattern: `w${Date.now()}${Math.random().toString(36).slice(2, 6)}`, match: 'word', action: 'flag' })
          .expect(201)
      ).body.id;
    const sanction = async () =>
      (
        await actors.admin.http
          .post(`/api/v1/moderation/users/${target.user.id}/sanctions`)
          .send({ kind: 'silence', reason: 'x' })
          .expect(201)
      ).body.id;
    const published = async () => (await wikiPage(author, `Fresh ${Math.random()}`, 'text', inA.id)).contentId;

    const table: Array<{ route: string; expect: Expect; request: (http: TestHttp) => Promise<{ status: number }> }> = [
      {
        route: 'POST /reports',
        expect: row(401, 'ok', 'ok', 'ok', 'ok'),
        request: async (h) =>
          h.post('/api/v1/moderation/reports').send({ contentId: await published(), reason: 'spam' }),
      },
      {
        route: 'GET /reports/mine',
        expect: row(401, 'ok', 'ok', 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/reports/mine'),
      },
      {
        route: 'GET /queue',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/queue'),
      },
      {
        route: 'GET /queue/:id (space A)',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: async (h) => h.get(`/api/v1/moderation/queue/${(await reportedItem('A')).id}`),
      },
      {
        route: 'GET /queue/:id (space B)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.get(`/api/v1/moderation/queue/${(await reportedItem('B')).id}`),
      },
      {
        route: 'POST /queue/:id/decision (space A)',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: async (h) =>
          h
            .post(`/api/v1/moderation/queue/${(await reportedItem('A')).id}/decision`)
            .send({ action: 'dismiss', reason: 'ok' }),
      },
      {
        route: 'POST /queue/:id/decision (organisation-wide)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) =>
          h
            .post(`/api/v1/moderation/queue/${(await reportedItem('org')).id}/decision`)
            .send({ action: 'dismiss', reason: 'ok' }),
      },
      {
        route: 'POST /queue/:id/claim',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: async (h) => h.post(`/api/v1/moderation/queue/${(await reportedItem('A')).id}/claim`),
      },
      {
        route: 'DELETE /queue/:id/claim',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: async (h) => h.delete(`/api/v1/moderation/queue/${(await reportedItem('A')).id}/claim`),
      },
      {
        route: 'POST /queue/:id/notes',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: async (h) =>
          h.post(`/api/v1/moderation/queue/${(await reportedItem('A')).id}/notes`).send({ text: 'n' }),
      },
      {
        route: 'GET /rules',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/rules'),
      },
      {
        route: 'POST /rules (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) =>
          h
            .post('/api/v1/moderation/rules')
            .send({ pattern: `g${Math.random().toString(36).slice(2, 8)}`, match: 'word', action: 'flag' }),
      },
      {
        route: 'POST /rules (space A)',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) =>
          h.post('/api/v1/moderation/rules').send({
            pattern: `a${Math.random().toString(36).slice(2, 8)}`,
            match: 'word',
            action: 'flag',
            spaceId: inA.id,
          }),
      },
      {
        route: 'POST /rules/dry-run (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) => h.post('/api/v1/moderation/rules/dry-run').send({ pattern: 'zzz', match: 'word' }),
      },
      {
        route: 'GET /rules/:id (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.get(`/api/v1/moderation/rules/${await globalRule()}`),
      },
      {
        route: 'GET /rules/:id/dry-run (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.get(`/api/v1/moderation/rules/${await globalRule()}/dry-run`),
      },
      {
        route: 'PATCH /rules/:id (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.patch(`/api/v1/moderation/rules/${await globalRule()}`).send({ enabled: false }),
      },
      {
        route: 'DELETE /rules/:id (global)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.delete(`/api/v1/moderation/rules/${await globalRule()}`),
      },
      {
        route: 'POST /users/:id/sanctions',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) =>
          h.post(`/api/v1/moderation/users/${target.user.id}/sanctions`).send({ kind: 'warn', reason: 'x' }),
      },
      {
        route: 'GET /users/:id/sanctions',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) => h.get(`/api/v1/moderation/users/${author.user.id}/sanctions`),
      },
      {
        route: 'GET /sanctions',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/sanctions'),
      },
      {
        route: 'POST /sanctions/:id/lift',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: async (h) => h.post(`/api/v1/moderation/sanctions/${await sanction()}/lift`).send({ reason: 'x' }),
      },
      {
        route: 'POST /appeals (nothing decided)',
        expect: row(401, 404, 404, 404, 404),
        request: async (h) => h.post('/api/v1/moderation/appeals').send({ contentId: await published(), text: 'x' }),
      },
      {
        route: 'GET /history',
        expect: row(401, 'ok', 'ok', 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/history'),
      },
      { route: 'GET /log', expect: row(401, 403, 'ok', 'ok', 'ok'), request: (h) => h.get('/api/v1/moderation/log') },
      {
        route: 'GET /log.csv',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) => h.get('/api/v1/moderation/log.csv'),
      },
      {
        route: 'GET /spaces/:id/settings (A)',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) => h.get(`/api/v1/moderation/spaces/${inA.id}/settings`),
      },
      {
        route: 'PUT /spaces/:id/settings (A)',
        expect: row(401, 403, 'ok', 'ok', 'ok'),
        request: (h) => h.put(`/api/v1/moderation/spaces/${inA.id}/settings`).send({ slowModeSeconds: 0 }),
      },
      {
        route: 'PUT /spaces/:id/settings (B)',
        expect: row(401, 403, 403, 'ok', 'ok'),
        request: (h) => h.put(`/api/v1/moderation/spaces/${inB.id}/settings`).send({ slowModeSeconds: 0 }),
      },
      {
        route: 'GET /settings',
        expect: row(401, 403, 403, 403, 'ok'),
        request: (h) => h.get('/api/v1/moderation/settings'),
      },
      {
        route: 'PUT /settings',
        expect: row(401, 403, 403, 403, 'ok'),
        request: (h) => h.put('/api/v1/moderation/settings').send({ dryRunDays: 90 }),
      },
    ];
    const differences: string[] = [];
    for (const entry of table) {
      for (const actor of ACTORS) {
        const http = actor === 'anonymous' ? intranet.agent() : actors[actor].http;
        const { status } = await entry.request(http);
        const got = status >= 200 && status < 300 ? 'ok' : status;
        if (got !== entry.expect[actor])
          differences.push(`${entry.route} as ${actor}: expected ${entry.expect[actor]}, got ${status}`);
      }
    }
    expect(differences).toEqual([]);
  });
});
