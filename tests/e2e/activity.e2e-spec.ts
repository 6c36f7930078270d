/**
 * The home activity stream (`GET /api/v1/activity`, `/activity`, the start page): published content
 * of every plugin, newest first, as the reader may see it. Content comes from three sources written
 * as outside plugins are: the kudos example, the wiki, and the notes fixture (with its gate).
 */
import { randomUUID } from 'node:crypto';
import kudos from '@plein/example-kudos';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { ActivityService } from '../../core/src/activity/activity.service';
import { ContentsService } from '../../core/src/content/contents.service';
import { DatabaseService } from '../../core/src/database/database.service';
import { gatekeeper, notes } from '../fixtures/notes/notes.plugin';
import { PASSWORD, signIn } from './pages-helpers';

jest.setTimeout(60_000);

interface Item {
  id: string;
  contentId: string;
  type: string;
  plugin: string;
  status: string;
  author: { id: string; handle: string; displayName: string };
  spaceId: string | null;
  title: string | null;
  excerpt: string | null;
  url: string | null;
  createdAt: string;
  updatedAt: string;
}

describe('the activity stream', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bea: TestUser;
  let cas: TestUser;
  let teamSpace: { id: string; slug: string };
  let townSpace: { id: string; slug: string };
  const made: Record<string, { contentId: string; id: string }> = {};

  /** Each item a second after the one before, so "newest first" has one right answer. */
  const tick = () => intranet.clock.advance(1000);

  const stream = async (who: TestUser | null, query = '') => {
    const res = await (who ? who.http : intranet.http).get(`/api/v1/activity${query}`).expect(200);
    return res.body as { items: Item[]; nextCursor: string | null };
  };

  const note = async (who: TestUser, text: string, spaceId?: string) => {
    tick();
    const res = await who.http.post('/api/v1/notes').send({ text, spaceId }).expect(201);
    return { contentId: res.body.contentId as string, id: res.body.id as string, status: res.body.status as string };
  };

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, wiki, notes, gatekeeper] });
    ada = await intranet.createUser({ handle: 'ada', displayName: 'Ada Lovelace', password: PASSWORD });
    bea = await intranet.createUser({ handle: 'bea', displayName: 'Bea Bakker' });
    cas = await intranet.createUser({ handle: 'cas', displayName: 'Cas Claes' });
    teamSpace = (await cas.http.post('/api/v1/spaces').send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body;
    townSpace = (await bea.http.post('/api/v1/spaces').send({ slug: 'town', name: 'Town square', visibility: 'public', joinPolicy: 'open' }).expect(201)).body;

    tick();
    const page = await ada.http.post('/api/v1/wiki/pages').send({ title: 'Onboarding', body: 'Welcome aboard: read this first.' }).expect(201);
    made.page = { contentId: page.body.contentId, id: page.body.id };
    tick();
    const kudo = await bea.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Thanks for the onboarding page' }).expect(201);
    made.kudo = { contentId: kudo.body.contentId, id: kudo.body.id };
    made.secret = await note(cas, 'Board minutes: budget approved', teamSpace.id);
    made.town = await note(bea, 'Market on Friday in the town square', townSpace.id);
    made.held = await note(ada, 'Questions about the reorg', undefined);
    expect((made.held as { status?: string }).status).toBe('pending');
  });
  afterAll(() => intranet?.close());

  it('lists published content of every plugin, newest first, as content items with their URLs', async () => {
    const { items } = await stream(bea);
    expect(items.map((i) => i.contentId)).toEqual([made.town.contentId, made.kudo.contentId, made.page.contentId]);
    const [town, kudo, page] = items;
    expect(page).toMatchObject({
      id: made.page.id,
      type: 'wiki.page',
      plugin: 'wiki',
      status: 'published',
      author: { id: ada.user.id, handle: 'ada', displayName: 'Ada Lovelace' },
      spaceId: null,
      title: 'Onboarding',
      url: `/wiki/p/${made.page.id}`,
    });
    expect(kudo).toMatchObject({ id: made.kudo.id, type: 'kudos.kudo', plugin: 'kudos', url: `/kudos#kudos.kudo-${made.kudo.id}`, excerpt: 'Thanks for the onboarding page' });
    expect(town).toMatchObject({ id: made.town.id, type: 'notes.note', spaceId: townSpace.id, url: `/notes/${made.town.id}` });
    expect(Date.parse(town.createdAt)).toBeGreaterThan(Date.parse(kudo.createdAt));
    expect(typeof town.updatedAt).toBe('string');
  });

  it('keeps the content of a private space from people outside it, and shows it to its members', async () => {
    expect((await stream(bea)).items.map((i) => i.contentId)).not.toContain(made.secret.contentId);
    expect((await stream(cas)).items.map((i) => i.contentId)).toContain(made.secret.contentId);
    await cas.http.post(`/api/v1/spaces/${teamSpace.id}/members`).send({ userId: bea.user.id, role: 'member' }).expect(201);
    expect((await stream(bea)).items.map((i) => i.contentId)).toContain(made.secret.contentId);
    await cas.http.delete(`/api/v1/spaces/${teamSpace.id}/members/${bea.user.id}`).expect(204);
    expect((await stream(bea)).items.map((i) => i.contentId)).not.toContain(made.secret.contentId);
  });

  it('leaves held content out, even for its author and moderators', async () => {
    const moderator = await intranet.createUser({ handle: 'mo', roles: ['moderator'] });
    for (const who of [ada, moderator, bea]) expect((await stream(who)).items.map((i) => i.contentId)).not.toContain(made.held.contentId);
  });

  it('takes hidden and deleted content out at once, and brings restored content back', async () => {
    const contents = intranet.get(ContentsService);
    await contents.setStatus(made.kudo.contentId, 'hidden', { actorId: null, reason: 'Off-topic' });
    expect((await stream(bea)).items.map((i) => i.contentId)).not.toContain(made.kudo.contentId);
    await contents.setStatus(made.kudo.contentId, 'published', { actorId: null });
    expect((await stream(bea)).items.map((i) => i.contentId)).toContain(made.kudo.contentId);
    const extra = await ada.http.post('/api/v1/wiki/pages').send({ title: 'Soon gone', body: 'Draft' }).expect(201);
    await ada.http.delete(`/api/v1/wiki/pages/${extra.body.id}`).expect(204);
    expect((await stream(bea)).items.map((i) => i.contentId)).not.toContain(extra.body.contentId);
  });

  it('narrows to one space and to one plugin', async () => {
    expect((await stream(bea, `?spaceId=${townSpace.id}`)).items.map((i) => i.contentId)).toEqual([made.town.contentId]);
    expect((await stream(bea, '?plugin=kudos')).items.map((i) => i.contentId)).toEqual([made.kudo.contentId]);
    expect((await stream(bea, '?plugin=wiki')).items.map((i) => i.type)).toEqual(['wiki.page']);
    expect((await stream(bea, `?plugin=notes&spaceId=${townSpace.id}`)).items).toHaveLength(1);
    // A private space one is not in filters down to nothing rather than revealing anything.
    expect((await stream(bea, `?spaceId=${teamSpace.id}`)).items).toEqual([]);
    expect((await stream(bea, '?plugin=nope')).items).toEqual([]);
  });

  it('pages with a cursor, newest first, without repeating or skipping items made at the same instant', async () => {
    const pager = await intranet.createUser({ handle: 'pager' });
    const at = new Date(intranet.clock.now().getTime() + 60_000);
    intranet.clock.set(at);
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) ids.push((await pager.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: `Kudo number ${i}` }).expect(201)).body.contentId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await stream(bea, `?plugin=kudos&limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((i) => i.contentId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(14);
    expect(new Set(seen)).toEqual(new Set([...ids, made.kudo.contentId]));
    // Same instant: ordered by id, descending.
    expect(seen.slice(0, 13)).toEqual([...ids].sort().reverse());
    intranet.clock.advance(1000);
  });

  it('answers bad parameters with a 422 naming the parameter', async () => {
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      [`?cursor=${Buffer.from(JSON.stringify({ at: 'yesterday', id: 1 })).toString('base64url')}`, 'cursor'],
      ['?plugin=Not%20A%20Plugin', 'plugin'],
      ['?plugin=a&plugin=b', 'plugin'],
      [`?spaceId=${'x'.repeat(37)}`, 'spaceId'],
    ]) {
      const res = await bea.http.get(`/api/v1/activity${query}`).expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
  });

  it('asks anonymous visitors to sign in, and lets them read once anonymous holds the permission', async () => {
    await intranet.http.get('/api/v1/activity').expect(401);
    const admin = await intranet.createUser({ handle: 'root', roles: ['admin'] });
    const granted = (await admin.http.get('/api/v1/roles').expect(200)).body.items.find((r: { name: string }) => r.name === 'anonymous').permissions as string[];
    await admin.http.put('/api/v1/roles/anonymous/permissions').send({ permissions: [...granted, 'core.activity.read'] }).expect(200);
    const anonymous = await stream(null);
    expect(anonymous.items.map((i) => i.contentId)).toContain(made.town.contentId);
    expect(anonymous.items.map((i) => i.contentId)).not.toContain(made.secret.contentId);
    await admin.http.put('/api/v1/roles/anonymous/permissions').send({ permissions: granted }).expect(200);
    await intranet.http.get('/api/v1/activity').expect(401);
  });

  it('shows the newest on the start page after sign-in, each item in the theme’s content partial', async () => {
    const browser = intranet.agent();
    const before = await browser.get('/').expect(200);
    expect(before.text).not.toContain('id="home-activity"');
    await signIn(browser, 'ada@example.test', PASSWORD);
    const home = await browser.get('/').expect(200);
    expect(home.text).toContain('id="home-activity"');
    const [newest] = (await stream(ada)).items;
    expect(home.text).toContain(`<article class="card content-item" id="${newest.type}-${newest.id}">`);
    expect(home.text).toContain(`href="${newest.url}"`);
    expect(home.text).not.toContain(made.secret.id);
    expect(home.text).toContain('href="/activity"');
  });

  it('serves /activity with a filter form that works without JavaScript, and older pages by link', async () => {
    const browser = intranet.agent();
    await signIn(browser, 'ada@example.test', PASSWORD);
    for (let i = 0; i < 20; i++) await bea.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: `More thanks ${i}` }).expect(201);
    const all = await browser.get('/activity').expect(200);
    expect(all.text).toContain('<form method="get" action="/activity"');
    expect(all.text).toContain(`<option value="${townSpace.id}">Town square</option>`);
    expect(all.text).toMatch(/<option value="kudos">Kudos<\/option>/);
    expect(all.text).toContain('rel="next"');
    const town = await browser.get(`/activity?spaceId=${townSpace.id}`).expect(200);
    expect(town.text).toContain(`id="notes.note-${made.town.id}"`);
    expect(town.text).not.toContain(`id="wiki.page-${made.page.id}"`);
    expect(town.text).toContain(`<option value="${townSpace.id}" selected>`);
    const older = /href="(\/activity\?cursor[^"]+)" rel="next"/.exec(all.text)![1].replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const second = await browser.get(older).expect(200);
    expect(second.text).toContain('href="/activity"');
    await intranet.agent().get('/activity').redirects(0).expect(303);
  });
});

/**
 * The stream's reads, on a table large enough for the planners to choose (3,000 items): each page
 * seeks to its cursor in a stream index and reads about a page of index entries, on both engines.
 * The plans themselves are in docs/search.md.
 */
describe('the activity stream’s query plans', () => {
  let intranet: TestIntranet;
  let db: DatabaseService;
  let activity: ActivityService;
  let reader: TestUser;
  let spaceId: string;
  const start = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos] });
    reader = await intranet.createUser({ handle: 'reader' });
    spaceId = (await reader.http.post('/api/v1/spaces').send({ slug: 'team', name: 'Team', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body.id;
    db = intranet.get(DatabaseService);
    activity = intranet.get(ActivityService);
    const at = (i: number) => (db.engine === 'sqlite' ? new Date(start + i * 60_000).toISOString().replace('T', ' ').replace('Z', '') : new Date(start + i * 60_000));
    const rows = Array.from({ length: 3000 }, (_, i) => [
      randomUUID(),
      'kudos.kudo',
      ['kudos', 'wiki', 'notes'][i % 3],
      i % 5 === 0 ? spaceId : null,
      reader.user.id,
      i % 10 === 0 ? 'hidden' : 'published',
      `Item ${i}`,
      at(i),
      at(i),
    ]);
    await db.transaction(async (m) => {
      for (let i = 0; i < rows.length; i += 300) {
        const chunk = rows.slice(i, i + 300);
        await m.query(`INSERT INTO core_content (id, type, plugin_id, space_id, author_id, status, excerpt, created_at, updated_at) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`, chunk.flat());
      }
    });
    await db.select(db.engine === 'mysql' ? 'ANALYZE TABLE core_content' : 'ANALYZE', []);
  });
  afterAll(() => intranet?.close());

  const cursorAt = (minute: number) => ({ at: new Date(start + minute * 60_000), id: 'zzzzzzzz' });

  it.each([
    ['the whole stream', {}, 'idx_core_content_stream'],
    ['one plugin', { plugin: 'wiki' }, 'idx_core_content_plugin_stream'],
    ['one space', { spaceId: 'space' }, 'idx_core_content_space_stream'],
  ])('reads %s in index order from the cursor, a page of entries at a time', async (_label, filterTemplate, index) => {
    const filter = 'spaceId' in filterTemplate ? { spaceId } : filterTemplate;
    for (const minute of [2999, 1500, 60]) {
      const [sql, params] = (await activity.query({ id: reader.user.id }, filter, 21, cursorAt(minute))).getQueryAndParameters();
      if (db.engine === 'sqlite') {
        const plan = (await db.select<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((p) => p.detail);
        expect(plan[0]).toMatch(new RegExp(`^SEARCH c USING COVERING INDEX ${index} \\(.*created_at<\\?\\)$`));
        expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN c/);
      } else {
        const [first] = await db.select<{ table: string; type: string; key: string; Extra: string }>(`EXPLAIN ${sql}`, params);
        // InnoDB appends the primary key to every index: (space_id, status, created_at) is (…, id) already.
        expect(first).toMatchObject({ table: 'c', type: 'range', key: index === 'idx_core_content_space_stream' ? 'idx_core_content_space' : index });
        expect(first.Extra).not.toMatch(/filesort/);
        // What the engine actually read: about one page of index entries, wherever the cursor is.
        const reads = await db.dataSource.transaction(async (m) => {
          await m.query('FLUSH STATUS');
          await m.query(sql, params);
          const status = (await m.query("SHOW SESSION STATUS LIKE 'Handler_read_prev'")) as Array<{ Value: string }>;
          return Number(status[0].Value);
        });
        expect(reads).toBeLessThan(120);
      }
    }
  });
});
