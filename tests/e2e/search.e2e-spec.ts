/**
 * Search across plugins (`GET /api/v1/search`, `/search`, `plein search reindex`): full-text on both
 * engines (FTS5 on SQLite, InnoDB FULLTEXT on MySQL/MariaDB, docs/search.md), ranked, with excerpts
 * whose hits are marked and everything else escaped, only what the searcher may see, and an index
 * kept current by durable handlers of the content events (delivered here by `runDueJobs()`).
 * Content comes from the kudos example, the wiki and the notes fixture (with its gate).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import kudos from '@plein/example-kudos';
import fc from 'fast-check';
import wiki from '@plein/plugin-wiki';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import { ContentsService } from '../../core/src/content/contents.service';
import { DatabaseService } from '../../core/src/database/database.service';
import { SearchIndex } from '../../core/src/search/search-index';
import { SearchService } from '../../core/src/search/search.service';
import { queryWords } from '../../core/src/search/search-text';
import { gatekeeper, notes } from '../fixtures/notes/notes.plugin';
import { PASSWORD, signIn } from './pages-helpers';

jest.setTimeout(120_000);

interface Hit {
  id: string;
  contentId: string;
  type: string;
  plugin: string;
  title: string | null;
  titleHtml: string;
  excerpt: string;
  url: string | null;
  spaceId: string | null;
  author: { id: string; handle: string };
  createdAt: string;
}

const REPO = join(__dirname, '../..');

describe('search', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bea: TestUser;
  let cas: TestUser;
  let board: { id: string };
  let town: { id: string };
  const c: Record<string, { contentId: string; id: string }> = {};

  const search = async (who: TestUser | null, params: Record<string, string>, status = 200) => {
    const res = await (who ? who.http : intranet.http).get('/api/v1/search').query(params).expect(status);
    return res.body as { items: Hit[]; nextCursor: string | null };
  };
  const found = async (who: TestUser | null, q: string, more: Record<string, string> = {}) => (await search(who, { q, ...more })).items.map((i) => i.contentId);

  const page = async (who: TestUser, title: string, body: string) => {
    const res = await who.http.post('/api/v1/wiki/pages').send({ title, body }).expect(201);
    return { contentId: res.body.contentId as string, id: res.body.id as string };
  };
  const note = async (who: TestUser, text: string, spaceId?: string) => {
    const res = await who.http.post('/api/v1/notes').send({ text, spaceId }).expect(201);
    return { contentId: res.body.contentId as string, id: res.body.id as string };
  };
  const indexed = async () => SearchIndex.for(intranet.get(DatabaseService)).indexedAfter('', 10_000);

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [kudos, wiki, notes, gatekeeper] });
    ada = await intranet.createUser({ handle: 'ada', password: PASSWORD });
    bea = await intranet.createUser({ handle: 'bea' });
    cas = await intranet.createUser({ handle: 'cas' });
    board = (await cas.http.post('/api/v1/spaces').send({ slug: 'board', name: 'Board', visibility: 'private', joinPolicy: 'invite' }).expect(201)).body;
    town = (await bea.http.post('/api/v1/spaces').send({ slug: 'town', name: 'Town', visibility: 'public', joinPolicy: 'open' }).expect(201)).body;

    intranet.clock.set(new Date('2026-01-15T10:00:00Z'));
    c.old = await note(bea, 'January notes about the HR intake', town.id);
    intranet.clock.set(new Date('2026-03-10T10:00:00Z'));
    c.handbook = await page(ada, 'HR handbook', 'Everything about leave, pay and the IT desk. Ask HR first: HR knows.');
    intranet.clock.advance(1000);
    c.coffee = await page(ada, 'Coffee corner', 'The HR team meets here on Fridays.');
    intranet.clock.advance(1000);
    c.cafe = await note(bea, 'Koffie in het café, één keer per week, met appeltaart.', town.id);
    intranet.clock.advance(1000);
    c.secret = await note(cas, 'Board: HR budget is confidential', board.id);
    intranet.clock.advance(1000);
    c.held = await note(ada, 'HR reorg plans');
    intranet.clock.advance(1000);
    c.roadmap = await page(ada, '<script>alert("x")</script> Roadmap', '<b>bold</b> roadmap & plans, "quoted" <img src=x onerror=alert(1)>');
    intranet.clock.advance(1000);
    const kudo = await bea.http.post('/api/v1/kudos').send({ toUserId: ada.user.id, message: 'Thanks for fixing the IT printer' }).expect(201);
    c.kudo = { contentId: kudo.body.contentId, id: kudo.body.id };
    intranet.clock.advance(1000);
    c.window = await note(bea, "Desk near the window (second floor) - 100% done, it's great");
    intranet.clock.advance(1000);
    await intranet.runDueJobs();
  });
  afterAll(() => intranet?.close());

  it('finds content of every plugin by its words, best match first, as items with a URL', async () => {
    const { items } = await search(bea, { q: 'hr' });
    const ids = items.map((i) => i.contentId);
    expect(ids).toEqual(expect.arrayContaining([c.handbook.contentId, c.coffee.contentId, c.old.contentId]));
    // In the title and three times in the text beats once in the text.
    expect(ids.indexOf(c.handbook.contentId)).toBeLessThan(ids.indexOf(c.coffee.contentId));
    expect(ids[0]).toBe(c.handbook.contentId);
    expect(items[0]).toMatchObject({ id: c.handbook.id, type: 'wiki.page', plugin: 'wiki', title: 'HR handbook', url: `/wiki/p/${c.handbook.id}`, author: { id: ada.user.id, handle: 'ada' } });
    expect(items[0].titleHtml).toBe('<mark>HR</mark> handbook');
    expect(items[0].excerpt).toContain('<mark>HR</mark>');
    const kudo = (await search(bea, { q: 'printer' })).items;
    expect(kudo).toEqual([expect.objectContaining({ contentId: c.kudo.contentId, type: 'kudos.kudo', url: `/kudos#kudos.kudo-${c.kudo.id}` })]);
    expect(kudo[0].excerpt).toBe('Thanks for fixing the IT <mark>printer</mark>');
  });

  it('requires every word, and takes the last one as the start of a word too', async () => {
    expect(await found(bea, 'hr desk')).toEqual([c.handbook.contentId]);
    expect(await found(bea, 'hr zeppelin')).toEqual([]);
    expect(await found(bea, 'handb')).toEqual([c.handbook.contentId]);
    expect(await found(bea, 'appel')).toEqual([c.cafe.contentId]);
  });

  it('finds words of two and three letters, stopwords included', async () => {
    expect(await found(bea, 'IT')).toEqual(expect.arrayContaining([c.handbook.contentId, c.kudo.contentId]));
    expect(await found(bea, 'pay')).toEqual([c.handbook.contentId]);
    expect(await found(bea, 'met')).toEqual([c.cafe.contentId]);
    expect(await found(bea, 'the it desk leave')).toEqual([c.handbook.contentId]);
  });

  it('finds Dutch words with or without their accents, and marks them as written', async () => {
    for (const q of ['café', 'cafe', 'CAFÉ', 'één', 'een', 'Één keer']) expect(await found(bea, q)).toEqual([c.cafe.contentId]);
    const [hit] = (await search(bea, { q: 'cafe' })).items;
    expect(hit.excerpt).toContain('<mark>café</mark>');
    const [een] = (await search(bea, { q: 'een' })).items;
    expect(een.excerpt).toContain('<mark>één</mark>');
  });

  it('marks the words found and escapes everything else in titles and excerpts', async () => {
    const [hit] = (await search(bea, { q: 'roadmap' })).items;
    expect(hit.contentId).toBe(c.roadmap.contentId);
    expect(hit.title).toBe('<script>alert("x")</script> Roadmap');
    expect(hit.titleHtml).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Roadmap</mark>');
    expect(hit.excerpt).toContain('&lt;b&gt;bold&lt;/b&gt; <mark>roadmap</mark> &amp; plans, &quot;quoted&quot; &lt;img src=x onerror=alert(1)&gt;');
    for (const html of [hit.titleHtml, hit.excerpt]) expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    // Words that are tags in the text are still only words.
    expect((await search(bea, { q: 'script' })).items[0].titleHtml).toBe('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; Roadmap');
  });

  it('takes full-text syntax in q as words: never a 500', async () => {
    const queries = ['"', '*', '-', 'NEAR', 'NEAR(', '(', ')', "'", '%', '_', '"unclosed', 'window*', '-window', '+floor', 'near(window floor)', 'AND', 'OR NOT', 'a OR b', '^x', 'col:val', '{a b}', '\\', '~2', '@x', '<>', '100%', "it's", 'desk:*', 'x"y'];
    for (const q of queries) {
      const res = await bea.http.get('/api/v1/search').query({ q });
      expect([q, res.status]).toEqual([q, 200]);
    }
    expect(await found(bea, '"window')).toEqual([c.window.contentId]);
    expect(await found(bea, 'NEAR')).toEqual([c.window.contentId]);
    expect(await found(bea, '(second floor)')).toEqual([c.window.contentId]);
    expect(await found(bea, '-window')).toEqual([c.window.contentId]);
    expect(await found(bea, '100%')).toEqual([c.window.contentId]);
    expect(await found(bea, "it's great")).toEqual([c.window.contentId]);
    expect(await found(bea, '*')).toEqual([]);
  });

  it('answers any query of up to 200 characters, syntax and all, without a server error', async () => {
    const syntax = fc.constantFrom('"', "'", '*', '-', '+', '(', ')', '%', '_', ':', '^', '~', '<', '>', '@', '\\', ' ', 'NEAR', 'AND', 'OR', 'NOT', 'é', 'ß', '日本', '\u0000', '\u0002');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(syntax, fc.string({ unit: 'binary', maxLength: 8 })), { minLength: 1, maxLength: 20 }), async (parts) => {
        const q = parts.join('').slice(0, 200);
        const res = await bea.http.get('/api/v1/search').query({ q });
        expect([q, res.status < 500]).toEqual([q, true]);
      }),
      { numRuns: 60 },
    );
  });

  it('answers a missing, empty or too long q, and other bad parameters, with a 422 naming the field', async () => {
    for (const [params, field] of [
      [{}, 'q'],
      [{ q: '' }, 'q'],
      [{ q: '   ' }, 'q'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: 'hr', from: 'yesterday' }, 'from'],
      [{ q: 'hr', to: '2026-13-45' }, 'to'],
      [{ q: 'hr', limit: '0' }, 'limit'],
      [{ q: 'hr', cursor: 'nope' }, 'cursor'],
      [{ q: 'hr', plugin: 'No Such' }, 'plugin'],
    ] as Array<[Record<string, string>, string]>) {
      const res = await bea.http.get('/api/v1/search').query(params).expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    await bea.http.get('/api/v1/search').query({ q: 'x'.repeat(200) }).expect(200);
  });

  it('finds only what the searcher may see: no private space they are not in, nothing held', async () => {
    expect(await found(bea, 'confidential')).toEqual([]);
    expect(await found(cas, 'confidential')).toEqual([c.secret.contentId]);
    for (const who of [ada, bea, await intranet.createUser({ handle: 'mo', roles: ['moderator'] })]) expect(await found(who, 'reorg')).toEqual([]);
    await intranet.http.get('/api/v1/search').query({ q: 'hr' }).expect(401);
  });

  it('narrows by plugin, space, author and date', async () => {
    expect(await found(bea, 'hr', { plugin: 'notes' })).toEqual([c.old.contentId]);
    expect((await search(bea, { q: 'hr', plugin: 'wiki' })).items.map((i) => i.plugin)).toEqual(['wiki', 'wiki']);
    expect(await found(bea, 'hr', { spaceId: town.id })).toEqual([c.old.contentId]);
    expect(await found(cas, 'hr', { spaceId: board.id })).toEqual([c.secret.contentId]);
    expect(await found(bea, 'hr', { spaceId: board.id })).toEqual([]);
    expect(await found(bea, 'hr', { authorId: bea.user.id })).toEqual([c.old.contentId]);
    expect(await found(bea, 'hr', { to: '2026-01-31' })).toEqual([c.old.contentId]);
    expect(await found(bea, 'hr', { from: '2026-03-01' })).not.toContain(c.old.contentId);
    expect(await found(bea, 'hr', { from: '2026-01-15', to: '2026-01-15' })).toEqual([c.old.contentId]);
    expect(await found(bea, 'hr', { from: '2026-01-15T10:00:01Z' })).not.toContain(c.old.contentId);
  });

  it('follows edits, hides, deletes and restores once their events are delivered', async () => {
    const contents = intranet.get(ContentsService);
    // An edit: the new words are found once the event is delivered, the old ones no longer.
    await ada.http.put(`/api/v1/wiki/pages/${c.coffee.id}`).send({ body: 'Zeppelin rides start here.', baseRevision: 1 }).expect(200);
    await intranet.runDueJobs();
    expect(await found(bea, 'zeppelin')).toEqual([c.coffee.contentId]);
    expect(await found(bea, 'fridays')).toEqual([]);

    // Hidden: out of every search at once (the join), and out of the index once delivered.
    await contents.setStatus(c.handbook.contentId, 'hidden', { actorId: null, reason: 'Outdated' });
    expect(await found(bea, 'handbook')).toEqual([]);
    // The embedded queue delivers only when asked; BullMQ's in-process workers may have done it already.
    if (intranet.queue === 'embedded') expect(await indexed()).toContain(c.handbook.contentId);
    await intranet.runDueJobs();
    expect(await indexed()).not.toContain(c.handbook.contentId);
    expect(await found(ada, 'handbook')).toEqual([]);

    // Restored: back in the index.
    await contents.setStatus(c.handbook.contentId, 'published', { actorId: null });
    await intranet.runDueJobs();
    expect(await indexed()).toContain(c.handbook.contentId);
    expect(await found(bea, 'handbook')).toEqual([c.handbook.contentId]);

    // Deleted through the wiki.
    await ada.http.delete(`/api/v1/wiki/pages/${c.roadmap.id}`).expect(204);
    await intranet.runDueJobs();
    expect(await indexed()).not.toContain(c.roadmap.contentId);
    expect(await found(bea, 'roadmap')).toEqual([]);

    // Held by a gate on edit: out of the index.
    await contents.edit('notes', c.window.contentId, { editorId: bea.user.id, text: 'Desk near the window, now about the reorg' });
    await intranet.runDueJobs();
    expect(await indexed()).not.toContain(c.window.contentId);
    expect(await found(bea, 'window')).toEqual([]);
    // Delivered twice (at least once means it can be): the same outcome.
    await intranet.get(ContentsService).setStatus(c.window.contentId, 'published', { actorId: null });
    await intranet.runDueJobs();
    await intranet.runDueJobs();
    expect(await found(bea, 'window')).toEqual([c.window.contentId]);
  });

  it('matches in the full-text index first, then reads each hit’s record by primary key (query plans in docs/search.md)', async () => {
    const db = intranet.get(DatabaseService);
    const words = queryWords('hr desk');
    const [sql, params] = (await intranet.get(SearchService).query({ id: bea.user.id }, { q: 'hr desk', plugin: 'wiki' }, words, 21, { score: 1, id: '' })).getQueryAndParameters();
    if (db.engine === 'sqlite') {
      const plan = (await db.select<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)).map((p) => p.detail);
      expect(plan[0]).toMatch(/^SCAN s VIRTUAL TABLE INDEX \d+:M/);
      expect(plan[1]).toMatch(/^SEARCH c USING INDEX sqlite_autoindex_core_content_1 \(id=\?\)$/);
    } else {
      const [s, c] = await db.select<{ table: string; type: string; key: string }>(`EXPLAIN ${sql}`, params);
      expect(s).toMatchObject({ table: 's', type: 'fulltext', key: 'ft_core_search_terms' });
      expect(c).toMatchObject({ table: 'c', type: 'eq_ref', key: 'PRIMARY' });
    }
  });

  it('pages through many results with a cursor, without repeats or gaps', async () => {
    const made: string[] = [];
    for (let i = 0; i < 23; i++) made.push((await note(bea, `Pagination check ${'word '.repeat(i % 5)}number ${i}`)).contentId);
    await intranet.runDueJobs();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { items: Hit[]; nextCursor: string | null } = await search(bea, { q: 'pagination', limit: '10', ...(cursor ? { cursor } : {}) });
      seen.push(...res.items.map((i) => i.contentId));
      cursor = res.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(23);
    expect(new Set(seen)).toEqual(new Set(made));
  });

  it('rebuilds the whole index with `plein search reindex`, removing what should not be there', async () => {
    const db = intranet.get(DatabaseService);
    const index = SearchIndex.for(db);
    await db.transaction(async () => {
      await index.remove(await index.indexedAfter('', 10_000));
      await index.put({ contentId: '00000000-0000-4000-8000-000000000000', title: 'Ghost', body: 'An entry with no content behind it' });
    });
    expect(await found(bea, 'handbook')).toEqual([]);
    const options = db.dataSource.options as { database?: unknown; url?: string };
    const env = {
      ...process.env,
      PLEIN_DATA_DIR: intranet.dataDir,
      DATABASE_URL: db.engine === 'sqlite' ? `sqlite:${String(options.database)}` : options.url,
      REDIS_URL: '',
    };
    const run = spawnSync(process.execPath, [join(REPO, 'core/dist/cli/main.js'), 'search', 'reindex', '--batch-size', '7'], { cwd: REPO, env, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, expect.stringMatching(/indexing: \d+ to go through[\s\S]*sweeping/)]);
    expect(run.stdout).toMatch(/search index rebuilt: \d+ published item\(s\) indexed, 1 stale entry removed/);
    expect(await found(bea, 'handbook')).toEqual([c.handbook.contentId]);
    expect(await found(bea, 'ghost')).toEqual([]);
    expect(await indexed()).not.toContain('00000000-0000-4000-8000-000000000000');
    expect(await indexed()).not.toContain(c.held.contentId);
    expect(await found(cas, 'confidential')).toEqual([c.secret.contentId]);
    const usage = spawnSync(process.execPath, [join(REPO, 'core/dist/cli/main.js'), 'search', 'reindex', '--batch-size', 'lots'], { cwd: REPO, env, encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });

  it('serves /search: a form that works without JavaScript, results with their hits marked and the rest escaped', async () => {
    const browser = intranet.agent();
    await signIn(browser, 'ada@example.test', PASSWORD);
    const home = await browser.get('/').expect(200);
    expect(home.text).toContain('<form method="get" action="/search" class="inline-form site-search" role="search">');
    const empty = await browser.get('/search').expect(200);
    expect(empty.text).toContain('id="search-q"');
    expect(empty.text).not.toContain('id="search-results"');
    await ada.http.post('/api/v1/wiki/pages').send({ title: '<i>Escaped</i> guide', body: 'A guide & more <script>x</script>' }).expect(201);
    await intranet.runDueJobs();
    const res = await browser.get('/search').query({ q: 'guide' }).expect(200);
    expect(res.text).toContain('id="search-results"');
    expect(res.text).toContain('&lt;i&gt;Escaped&lt;/i&gt; <mark>guide</mark>');
    expect(res.text).toContain('A <mark>guide</mark> &amp; more &lt;script&gt;x&lt;/script&gt;');
    expect(res.text).not.toContain('<i>Escaped');
    expect(res.text).toMatch(/<article class="card content-item" id="wiki\.page-[0-9a-f-]+">/);
    const filtered = await browser.get('/search').query({ q: 'hr', plugin: 'notes', from: '2026-01-01', to: '2026-01-31' }).expect(200);
    expect(filtered.text).toContain('<mark>HR</mark> intake');
    expect(filtered.text).not.toContain('handbook');
    expect(filtered.text).toContain('<option value="notes" selected>');
    const tooLong = await browser.get('/search').query({ q: 'x'.repeat(201) }).expect(422);
    expect(tooLong.text).toContain('Use at most 200 characters.');
    const nobody = await browser.get('/search').query({ q: 'hr', author: 'nobody' }).expect(422);
    expect(nobody.text).toContain('No one has the username “nobody”.');
    const dutch = await browser.get('/search').query({ q: 'cafe' }).set('accept-language', 'nl').expect(200);
    expect(dutch.text).toContain('<mark>café</mark>');
    await intranet.agent().get('/search?q=hr').redirects(0).expect(303);
  });
});
