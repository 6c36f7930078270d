import { randomUUID } from 'node:crypto';
import { Database } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import type { DataSource, EntityManager } from 'typeorm';
import microblog from '../src';

jest.setTimeout(180_000);

interface RawDb {
  engine: 'sqlite' | 'mysql';
  all(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  toDate(value: unknown): Date;
}
interface Scenario {
  defaults: Record<string, number>;
  seed(ctx: object, opts: Record<string, number>): Promise<{ reader: string; deepCursor: string; posts: number }>;
  pairs(made: object): Array<{ name: string; plein: string; raw: string; as: string }>;
  rawTimeline(ctx: { db: RawDb }, url: URL, userId: string): Promise<unknown>;
}
// Plain CommonJS, loaded by the bench harness as it is (no build step).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const scenario = require('../bench/scenario.js') as Scenario;

/** What the bench harness gives a seed (tests/bench/run.js), for a test intranet. */
async function bulkInsert(m: EntityManager, table: string, columns: string[], rows: unknown[][], chunk = 500) {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await m.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}`,
      part.flat(),
    );
  }
}
const sqlDate = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The bench scenario, small: its seed makes what the microblog's own code would (the API reads it),
 * its raw baseline answers byte for byte what Plein answers (the bench stops otherwise), and the
 * timeline's statements read indexes on both engines (EXPLAIN QUERY PLAN / EXPLAIN).
 */
describe('the microblog bench scenario', () => {
  let intranet: TestIntranet;
  let dataSource: DataSource;
  let db: RawDb;
  let reader: TestUser;
  let made: Awaited<ReturnType<Scenario['seed']>>;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [microblog] });
    const database = intranet.get(Database);
    dataSource = database.manager().connection;
    db = {
      engine: database.engine,
      all: (sql, params = []) => dataSource.query(sql, params),
      toDate: (v) => (v instanceof Date ? v : new Date(String(v).replace(' ', 'T') + 'Z')),
    };
    const people: TestUser[] = [];
    for (let i = 0; i < 40; i++) people.push(await intranet.createUser({ handle: `bench${i}` }));
    reader = people[1];
    made = await scenario.seed(
      {
        dataSource,
        engine: database.engine,
        bulkInsert,
        sqlDate,
        prng,
        randomUUID,
        progress: () => undefined,
        users: people.map((p) => ({ id: p.user.id, handle: p.user.handle })),
        admin: { id: people[0].user.id, handle: people[0].user.handle },
        api: () => Promise.reject(new Error('not used')),
      },
      { posts: 4000, follows: 12, spaces: 6 },
    );
  });
  afterAll(() => intranet.close());

  it('seeds posts the microblog reads: streams, tags, reactions and questions', async () => {
    const all = await reader.http.get('/api/v1/microblog/posts').query({ limit: 100 }).expect(200);
    expect(all.body.items).toHaveLength(100);
    const tagged = all.body.items.find((i: { tags: string[] }) => i.tags.length);
    const tag = await reader.http.get(`/api/v1/microblog/tags/${tagged.tags[0]}`).expect(200);
    expect(tag.body.items.length).toBeGreaterThan(0);
    const one = await reader.http.get(`/api/v1/microblog/posts/${tagged.id}`).expect(200);
    expect(one.body.html).toContain('class="hashtag"');
    const questions = await reader.http.get('/api/v1/microblog/questions').query({ state: 'unanswered' }).expect(200);
    expect(questions.body.items.length).toBeGreaterThan(0);
    expect(made.posts).toBe(4000);
  });

  it('answers both timeline pairs byte for byte as Plein does', async () => {
    const pairs = scenario.pairs(made);
    expect(pairs.map((p) => p.name)).toEqual(['home timeline, first page', 'home timeline, deep page']);
    for (const pair of pairs) {
      expect(pair.as).toBe(reader.user.id);
      const plein = await reader.http.get(pair.plein).expect(200);
      const raw = JSON.stringify(await scenario.rawTimeline({ db }, new URL(pair.raw, 'http://raw'), pair.as));
      expect(plein.body.items).toHaveLength(20);
      expect({ pair: pair.name, raw }).toEqual({ pair: pair.name, raw: plein.text });
    }
  });

  it('reads the timeline through indexes: the window and each source from an index alone, no table scanned or sorted', async () => {
    // Someone whose sources (themselves and two people) never wrote: the window finds nothing and
    // the merge reads each source's index.
    const loner = await intranet.createUser({ handle: 'loner' });
    for (const handle of ['quiet1', 'quiet2']) {
      await intranet.createUser({ handle });
      await loner.http.post(`/api/v1/microblog/users/${handle}/follow`).expect(200);
    }
    const statements: Array<[string, unknown[]]> = [];
    const original = dataSource.logger;
    const logger = {
      logQuery: (query: string, parameters?: unknown[]) => {
        if (/microblog_/.test(query) && /^\s*SELECT/i.test(query)) statements.push([query, parameters ?? []]);
      },
      logQueryError: () => undefined,
      logQuerySlow: () => undefined,
      logSchemaBuild: () => undefined,
      logMigration: () => undefined,
      log: () => undefined,
    };
    (dataSource as { logger: unknown }).logger = logger;
    try {
      for (const pair of scenario.pairs(made)) await reader.http.get(pair.plein).expect(200);
      const alone = await loner.http.get('/api/v1/microblog/timeline').query({ limit: 1 }).expect(200);
      expect(alone.body.items).toEqual([]);
    } finally {
      (dataSource as { logger: unknown }).logger = original;
    }
    expect(statements.length).toBeGreaterThan(4);
    // The readers' pages came from the window; the loner's went on to the merge.
    const windows = statements.filter(([q]) => /\) w WHERE /.test(q));
    expect(windows).toHaveLength(3);
    const unions = statements.filter(([q]) => / UNION /.test(q));
    expect(unions).toHaveLength(1);
    for (const [query, params] of statements) {
      if (db.engine === 'sqlite') {
        const plan = (await dataSource.query(`EXPLAIN QUERY PLAN ${query}`, params)) as Array<{ detail: string }>;
        const lines = plan.map((p) => p.detail);
        // Derived tables (the union's parts, the window) are scanned as co-routines; a table never is.
        expect({ query: query.slice(0, 80), scans: lines.filter((l) => /^SCAN (?!s\d|w\b)/.test(l)) }).toEqual({
          query: query.slice(0, 80),
          scans: [],
        });
        if (/\) w WHERE /.test(query)) {
          // The window reads the threads' index alone (it holds each thread's author and space), in order.
          expect(lines.filter((l) => /^SEARCH p USING COVERING INDEX idx_microblog_post_top_src/.test(l))).toHaveLength(
            1,
          );
          expect(lines.filter((l) => /TEMP B-TREE/.test(l))).toEqual([]);
        }
        if (/ UNION /.test(query)) {
          // Every source reads its index alone (covering: ids and times are in it).
          expect(
            lines.filter((l) => /^SEARCH p USING COVERING INDEX idx_microblog_post_(author|space)_top/.test(l)).length,
          ).toBeGreaterThan(1);
          // Each part reads its index in order: only the merged union (a page per source) is sorted.
          const sorts = lines.filter((l) => /TEMP B-TREE FOR ORDER BY/.test(l)).length;
          expect(sorts).toBeLessThanOrEqual(lines.filter((l) => /^SCAN s\d/.test(l)).length);
        }
      } else {
        const plan = (await dataSource.query(`EXPLAIN ${query}`, params)) as Array<{
          table: string | null;
          type: string | null;
          key: string | null;
          Extra: string | null;
        }>;
        for (const row of plan.filter((r) => r.table && !r.table.startsWith('<'))) {
          expect({ query: query.slice(0, 80), table: row.table, type: row.type }).not.toEqual(
            expect.objectContaining({ type: 'ALL' }),
          );
          if (row.table === 'p' || row.table === 'r')
            expect({ table: row.table, extra: row.Extra ?? '' }).not.toEqual(
              expect.objectContaining({ extra: expect.stringContaining('filesort') }),
            );
        }
        if (/\) w WHERE /.test(query)) {
          const window = plan.filter((r) => r.key === 'idx_microblog_post_top_src');
          expect(window).toHaveLength(1);
          expect(window[0].Extra ?? '').toContain('Using index');
        }
        if (/ UNION /.test(query)) {
          const sources = plan.filter((r) => /idx_microblog_post_(author|space)_top/.test(r.key ?? ''));
          expect(sources.length).toBeGreaterThan(1);
          expect(sources.every((r) => (r.Extra ?? '').includes('Using index'))).toBe(true);
        }
      }
    }
  });
});
