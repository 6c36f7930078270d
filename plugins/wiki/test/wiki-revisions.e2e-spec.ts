import { Database } from '@plein/sdk';
import { createTestIntranet, type TestHttp, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import type { DataSource } from 'typeorm';
import wiki from '../src';
import { WikiPage } from '../src/entities/wiki-page.entity';
import { WikiRevision } from '../src/entities/wiki-revision.entity';
import { WikiAccessService } from '../src/services/wiki-access.service';
import { WikiPagesService } from '../src/services/wiki-pages.service';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery staple';

/** Revisions, history, diffs, restoring, stale saves, concurrent saves and the cost of a read. */
describe('wiki revisions', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [wiki] });
    ada = await intranet.createUser({ handle: 'ada', email: 'ada@example.test', password: PASSWORD });
    bob = await intranet.createUser({ handle: 'bob' });
  });
  afterAll(() => intranet.close());

  const newPage = async (title: string, body: string) =>
    (await ada.http.post('/api/v1/wiki/pages').send({ title, body }).expect(201)).body as {
      id: string;
      revision: number;
    };
  const save = (who: TestUser, id: string, body: Record<string, unknown>) =>
    who.http.put(`/api/v1/wiki/pages/${id}`).send(body);

  it('makes a revision of every save, with author, time, summary and size, newest first', async () => {
    const page = await newPage('Release checklist', 'one\ntwo\nthree\n');
    intranet.clock.advance(60_000);
    const second = await save(bob, page.id, {
      body: 'one\n2\nthree\n',
      summary: 'Digits are shorter',
      baseRevision: 1,
    }).expect(200);
    expect(second.body).toMatchObject({
      revision: 2,
      body: 'one\n2\nthree\n',
      editor: { handle: 'bob' },
      author: { handle: 'ada' },
    });
    const history = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions`).expect(200);
    expect(history.body.items).toEqual([
      {
        revision: 2,
        title: 'Release checklist',
        summary: 'Digits are shorter',
        size: 12,
        author: expect.objectContaining({ handle: 'bob' }),
        restoredFrom: null,
        createdAt: expect.any(String),
      },
      {
        revision: 1,
        title: 'Release checklist',
        summary: '',
        size: 14,
        author: expect.objectContaining({ handle: 'ada' }),
        restoredFrom: null,
        createdAt: expect.any(String),
      },
    ]);
    expect(
      Date.parse(history.body.items[0].createdAt) - Date.parse(history.body.items[1].createdAt),
    ).toBeGreaterThanOrEqual(60_000);
    const one = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions/1`).expect(200);
    expect(one.body).toMatchObject({ revision: 1, body: 'one\ntwo\nthree\n', html: '<p>one\ntwo\nthree</p>\n' });
    await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions/3`).expect(404);
    await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions/abc`).expect(422);
  });

  it('saves nothing when nothing changed', async () => {
    const page = await newPage('Quiet page', 'same');
    const res = await save(bob, page.id, { body: 'same', baseRevision: 1 }).expect(200);
    expect(res.body.revision).toBe(1);
  });

  it('pages through a long history with a cursor', async () => {
    const page = await newPage('Busy page', 'v1');
    for (let v = 2; v <= 7; v++) await save(ada, page.id, { body: `v${v}`, baseRevision: v - 1 }).expect(200);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: Array<{ revision: number }>; nextCursor: string | null } } = await intranet.http
        .get(`/api/v1/wiki/pages/${page.id}/revisions`)
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .expect(200);
      seen.push(...res.body.items.map((r) => r.revision));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('answers the line hunks between any two revisions', async () => {
    const body = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const page = await newPage('Diffable', body);
    await save(ada, page.id, {
      body: body.replace('line 2', 'line two').replace('line 11\n', ''),
      baseRevision: 1,
    }).expect(200);
    await save(ada, page.id, {
      title: 'Diffable, renamed',
      body: `${body.replace('line 2', 'line two')}\nline 13`,
      baseRevision: 2,
    }).expect(200);
    const diff = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/diff`).query({ from: 1, to: 2 }).expect(200);
    expect(diff.body).toMatchObject({ from: 1, to: 2 });
    expect(diff.body.hunks).toEqual([
      {
        oldStart: 1,
        oldLines: 5,
        newStart: 1,
        newLines: 5,
        lines: [' line 1', '-line 2', '+line two', ' line 3', ' line 4', ' line 5'],
      },
      {
        oldStart: 8,
        oldLines: 5,
        newStart: 8,
        newLines: 4,
        lines: [' line 8', ' line 9', ' line 10', '-line 11', ' line 12'],
      },
    ]);
    // Backwards, and across a rename: the titles say what changed besides the text.
    const back = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/diff`).query({ from: 3, to: 1 }).expect(200);
    expect(back.body.titles).toEqual({ from: 'Diffable, renamed', to: 'Diffable' });
    expect(back.body.hunks.flatMap((h: { lines: string[] }) => h.lines)).toEqual(
      expect.arrayContaining(['-line two', '+line 2', '-line 13']),
    );
    // Without parameters: the latest change.
    expect((await intranet.http.get(`/api/v1/wiki/pages/${page.id}/diff`).expect(200)).body).toMatchObject({
      from: 2,
      to: 3,
    });
    await intranet.http.get(`/api/v1/wiki/pages/${page.id}/diff`).query({ from: 1, to: 9 }).expect(404);
    const bad = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/diff`).query({ from: '-1' }).expect(422);
    expect(bad.body.errors[0].field).toBe('from');
  });

  it('restores an old revision as a new revision equal to it', async () => {
    const page = await newPage('Policy', 'Original wording');
    await save(bob, page.id, { title: 'Policy (draft)', body: 'Vandalised', baseRevision: 1 }).expect(200);
    const restored = await ada.http.post(`/api/v1/wiki/pages/${page.id}/revisions/1/restore`).send({}).expect(200);
    expect(restored.body).toMatchObject({ revision: 3, title: 'Policy', body: 'Original wording', slug: 'policy' });
    const history = await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions`).expect(200);
    expect(history.body.items[0]).toMatchObject({
      revision: 3,
      restoredFrom: 1,
      summary: 'Restored revision 1',
      author: expect.objectContaining({ handle: 'ada' }),
    });
    await ada.http.post(`/api/v1/wiki/pages/${page.id}/revisions/9/restore`).send({}).expect(404);
    await intranet.http.post(`/api/v1/wiki/pages/${page.id}/revisions/1/restore`).send({}).expect(401);
  });

  it('answers a stale save with 409 and both versions, and loses nothing', async () => {
    const page = await newPage('Shared doc', 'base text');
    await save(bob, page.id, { body: "bob's text", baseRevision: 1 }).expect(200);
    const stale = await save(ada, page.id, { body: "ada's text", summary: 'mine', baseRevision: 1 }).expect(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.body).toMatchObject({
      status: 409,
      current: { revision: 2, title: 'Shared doc', body: "bob's text" },
      yours: { title: 'Shared doc', body: "ada's text", baseRevision: 1 },
    });
    expect((await intranet.http.get(`/api/v1/wiki/pages/${page.id}`).expect(200)).body).toMatchObject({
      revision: 2,
      body: "bob's text",
    });
    // Merged and saved on the current revision, it goes through.
    await save(ada, page.id, { body: "bob's text\nada's text", baseRevision: 2 }).expect(200);
    await save(ada, page.id, { body: 'x' }).expect(422);
  });

  it('lets exactly one of two simultaneous saves from two clients win, every round, on both engines', async () => {
    // Two real clients on their own connections: Ada in a browser (session cookie and CSRF
    // token), Bob through a script (bearer token).
    const browser: TestHttp = intranet.agent();
    await browser.post('/api/v1/auth/login').send({ email: 'ada@example.test', password: PASSWORD }).expect(200);
    const csrf = (await browser.get('/api/v1/auth/csrf').expect(200)).body.token as string;
    const page = await newPage('Hot page', 'round 0');
    const rounds = 25;
    for (let round = 1; round <= rounds; round++) {
      const base = (await intranet.http.get(`/api/v1/wiki/pages/${page.id}`).expect(200)).body.revision as number;
      const [a, b] = await Promise.all([
        browser
          .put(`/api/v1/wiki/pages/${page.id}`)
          .set('x-csrf-token', csrf)
          .send({ body: `round ${round} by ada`, baseRevision: base }),
        bob.http.put(`/api/v1/wiki/pages/${page.id}`).send({ body: `round ${round} by bob`, baseRevision: base }),
      ]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
      expect(winner.body.revision).toBe(base + 1);
      // The loser is told what won, and gets its own text back.
      expect(loser.body.current).toMatchObject({ revision: base + 1, body: winner.body.body });
      expect(loser.body.yours.body).toBe(winner === a ? `round ${round} by bob` : `round ${round} by ada`);
    }
    const history = await intranet.http
      .get(`/api/v1/wiki/pages/${page.id}/revisions`)
      .query({ limit: 100 })
      .expect(200);
    expect(history.body.items.map((r: { revision: number }) => r.revision)).toEqual(
      Array.from({ length: rounds + 1 }, (_, i) => rounds + 1 - i),
    );
  });

  it('decides inside the write, not before it: of two saves that both passed the early check, one is refused', async () => {
    const page = await newPage('Raced page', 'start');
    const pages = intranet.get(WikiPagesService);
    const access = intranet.get(WikiAccessService);
    // Both saves read revision 1 and pass the early check before either writes.
    const early = access.read.bind(access);
    let reads = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    access.read = async (...args: Parameters<WikiAccessService['read']>) => {
      const result = await early(...args);
      if (++reads === 2) release();
      await bothRead;
      return result;
    };
    try {
      const results = await Promise.allSettled([
        pages.update({ ...ada.user }, page.id, { body: 'by ada', baseRevision: 1 }),
        pages.update({ ...bob.user }, page.id, { body: 'by bob', baseRevision: 1 }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as {
        getStatus(): number;
        getResponse(): { current: { revision: number } };
      };
      expect(refused.getStatus()).toBe(409);
      expect(refused.getResponse().current.revision).toBe(2);
    } finally {
      access.read = early;
    }
    expect((await intranet.http.get(`/api/v1/wiki/pages/${page.id}/revisions`).expect(200)).body.items).toHaveLength(2);
  });

  it('reads the current page from the page row alone: the same queries with 1 or 10,000 revisions', async () => {
    const small = await newPage('One revision', 'Short history');
    const large = await newPage('Ten thousand revisions', 'Long history');
    const db = intranet.get(Database);
    const rows: WikiRevision[] = [];
    for (let n = 2; n <= 10_000; n++)
      rows.push({
        pageId: large.id,
        number: n,
        title: 'Ten thousand revisions',
        body: `Long history ${n}`,
        html: `<p>Long history ${n}</p>\n`,
        toc: '[]',
        summary: '',
        size: 16,
        authorId: ada.user.id,
        restoredFrom: null,
        createdAt: new Date(),
      });
    for (let i = 0; i < rows.length; i += 1000) await db.repository(WikiRevision).insert(rows.slice(i, i + 1000));
    await db
      .repository(WikiPage)
      .update(
        { id: large.id },
        {
          revision: 10_000,
          body: 'Long history 10000',
          html: '<p>Long history 10000</p>\n',
          publishedRevision: 10_000,
        },
      );

    const manager = db.manager() as unknown as { dataSource?: DataSource; connection?: DataSource };
    const dataSource = (manager.dataSource ?? manager.connection)!;
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const readQueries = async (id: string, url: string) => {
      const seen: string[] = [];
      logger.logQuery = (query: string, ...rest: unknown[]) => {
        seen.push(query);
        return (original as (...a: unknown[]) => unknown)(query, ...rest);
      };
      try {
        await ada.http.get(`/api/v1/wiki/pages/${id}`).expect(200);
        await ada.http.get(url).expect(200);
      } finally {
        logger.logQuery = original;
      }
      return seen;
    };
    const q1 = await readQueries(small.id, '/wiki/-/one-revision');
    const q2 = await readQueries(large.id, '/wiki/-/ten-thousand-revisions');
    expect(q1.length).toBeGreaterThan(0);
    expect([...q1, ...q2].filter((q) => /wiki_revision/.test(q))).toEqual([]);
    // Same statements, same count: what a read costs does not depend on the history's length.
    const shape = (queries: string[]) => queries.map((q) => q.replace(/vis\d+/g, 'vis'));
    expect(shape(q2)).toEqual(shape(q1));
    expect((await ada.http.get(`/api/v1/wiki/pages/${large.id}`).expect(200)).body).toMatchObject({
      revision: 10_000,
      body: 'Long history 10000',
    });
    expect((await ada.http.get(`/api/v1/wiki/pages/${large.id}/revisions/9999`).expect(200)).body.body).toBe(
      'Long history 9999',
    );
  });
});
