import { randomUUID } from 'node:crypto';
import { Database } from '@plein/sdk';
import { createTestIntranet, type TestIntranet, type TestUser } from '@plein/sdk/testing';
import type { DataSource } from 'typeorm';
import forum from '../src';
import { category, topic } from './helpers';

jest.setTimeout(300_000);

const POSTS = 10_000;
const TOPICS = 2_000;

/**
 * Keyset pagination at size: page 500 of a 10,000-post topic and a deep page of a 2,000-topic
 * category send the same statements as their first pages (no OFFSET), and the query plans of both
 * lists walk the forum's indexes in order (no sort of the whole set).
 */
describe('forum lists at size', () => {
  let intranet: TestIntranet;
  let ada: TestUser;
  let db: Database;
  let dataSource: DataSource;
  let topicId: string;

  /** `2026-01-31 09:00:00.000`: how datetime(3) columns are written (UTC) on both engines. */
  const sqlDate = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');

  /** Multi-row INSERTs of plain values, 500 rows a statement. */
  async function bulkInsert(table: string, rows: Array<Record<string, unknown>>): Promise<void> {
    const columns = Object.keys(rows[0]);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += 500) {
      const part = rows.slice(i, i + 500);
      await db.manager().query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}`,
        part.flatMap((r) => columns.map((c) => (r[c] instanceof Date ? sqlDate(r[c] as Date) : r[c]))),
      );
    }
  }

  /** Core's content records for bulk-seeded items (what `Contents.submit` writes, without gates). */
  async function contentRows(count: number, type: string, authorId: string, at: Date): Promise<string[]> {
    const ids = Array.from({ length: count }, () => randomUUID());
    await bulkInsert(
      'core_content',
      ids.map((id) => ({
        id,
        type,
        plugin_id: 'forum',
        space_id: null,
        author_id: authorId,
        status: 'published',
        title: null,
        excerpt: 'seeded',
        search_text: 'seeded',
        status_reason: null,
        created_at: at,
        updated_at: at,
        edited_at: null,
      })),
    );
    return ids;
  }

  /** Statements without their values (SQLite's driver writes numbers into the text). */
  const shape = (statements: Array<{ query: string }>) => statements.map((q) => q.query.replace(/\b\d+\b/g, 'N'));

  async function recorded(run: () => Promise<void>): Promise<Array<{ query: string; parameters: unknown[] }>> {
    const logger = dataSource.logger;
    const original = logger.logQuery.bind(logger);
    const seen: Array<{ query: string; parameters: unknown[] }> = [];
    logger.logQuery = (query: string, parameters?: unknown[], ...rest: unknown[]) => {
      seen.push({ query, parameters: parameters ?? [] });
      return (original as (...a: unknown[]) => unknown)(query, parameters, ...rest);
    };
    try {
      await run();
    } finally {
      logger.logQuery = original;
    }
    return seen;
  }

  /** The plan of a statement as text: SQLite's EXPLAIN QUERY PLAN details, or MySQL's EXPLAIN rows. */
  async function plan(query: string, parameters: unknown[]): Promise<string> {
    if (intranet.engine === 'sqlite') {
      const rows: Array<{ detail: string }> = await db.manager().query(`EXPLAIN QUERY PLAN ${query}`, parameters);
      return rows.map((r) => r.detail).join('\n');
    }
    const rows: Array<Record<string, unknown>> = await db.manager().query(`EXPLAIN ${query}`, parameters);
    return rows.map((r) => `${r.table} type=${r.type} key=${r.key} ${r.Extra ?? ''}`).join('\n');
  }

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [forum] });
    ada = await intranet.createUser({ handle: 'ada' });
    const admin = await intranet.createUser({ roles: ['admin'] });
    db = intranet.get(Database);
    const manager = db.manager() as unknown as { dataSource?: DataSource; connection?: DataSource };
    dataSource = (manager.dataSource ?? manager.connection)!;
    await category(admin, { slug: 'big', name: 'Big' });
    await category(admin, { slug: 'many', name: 'Many' });
    const t = await topic(ada, 'big', { title: 'Ten thousand posts' });
    topicId = t.id;
    const start = Date.now() - 86_400_000;
    const contentIds = await contentRows(POSTS - 1, 'forum.post', ada.user.id, new Date(start));
    const posts = contentIds.map((contentId, i) => ({
      id: randomUUID(),
      content_id: contentId,
      topic_id: topicId,
      position: i + 2,
      opening: 0,
      author_id: ada.user.id,
      body: `Reply ${i + 2}`,
      html: `<p>Reply ${i + 2}</p>\n`,
      version: 1,
      status: 'published',
      created_at: new Date(start + i * 1000),
      updated_at: new Date(start + i * 1000),
    }));
    await bulkInsert('forum_post', posts);
    await db
      .manager()
      .query('UPDATE forum_topic SET last_position = ?, last_post_position = ?, reply_count = ? WHERE id = ?', [
        POSTS,
        POSTS,
        POSTS - 1,
        topicId,
      ]);
    const categoryId = (await intranet.http.get('/api/v1/forum/categories/many').expect(200)).body.id;
    const topicContent = await contentRows(TOPICS, 'forum.topic', ada.user.id, new Date(start));
    const topics = topicContent.map((contentId, i) => ({
      id: randomUUID(),
      content_id: contentId,
      category_id: categoryId,
      space_id: null,
      title: `Topic ${i}`,
      author_id: ada.user.id,
      first_post_id: randomUUID(),
      pinned: i % 500 === 0 ? 1 : 0,
      last_position: 1,
      last_post_position: 1,
      last_activity_at: new Date(start + i * 1000),
      reply_count: 0,
      status: 'published',
      created_at: new Date(start + i * 1000),
      updated_at: new Date(start + i * 1000),
    }));
    await bulkInsert('forum_topic', topics);
    if (intranet.engine === 'mysql')
      for (const table of ['forum_post', 'forum_topic', 'core_content'])
        await db.manager().query(`ANALYZE TABLE ${table}`);
  });
  afterAll(() => intranet.close());

  it('reads page 500 of a 10,000-post topic with the statements of page 1, by position', async () => {
    const page1 = await recorded(async () => {
      const res = await intranet.http.get(`/api/v1/forum/topics/${topicId}`).query({ page: 1 }).expect(200);
      expect(res.body.posts.items).toHaveLength(20);
    });
    const page500 = await recorded(async () => {
      const res = await intranet.http.get(`/api/v1/forum/topics/${topicId}`).query({ page: 500 }).expect(200);
      expect(res.body.posts.items.map((p: { position: number }) => p.position)).toEqual(
        Array.from({ length: 20 }, (_, i) => 9981 + i),
      );
      expect(res.body).toMatchObject({ pageCount: 500, page: 500 });
      expect(res.body.posts.nextCursor).toBeNull();
    });
    expect(shape(page1)).toEqual(shape(page500));
    expect(page500.filter((q) => /\bOFFSET\b/i.test(q.query))).toEqual([]);
    const list = page500.find((q) => /FROM "?`?forum_post/i.test(q.query) && /position/.test(q.query))!;
    const text = await plan(list.query, list.parameters);
    if (process.env.FORUM_SHOW_PLANS) console.log(text);
    expect(text).toMatch(/uq_forum_post_position/);
    expect(text).not.toMatch(/TEMP B-TREE|filesort/i);
  });

  it('pages deep into a category of 2,000 topics with the statements of its first page, pinned first', async () => {
    let cursor: string | null = null;
    let first: Array<{ query: string; parameters: unknown[] }> = [];
    let deep: Array<{ query: string; parameters: unknown[] }> = [];
    const titles: string[] = [];
    for (let n = 0; n < 30; n++) {
      const statements = await recorded(async () => {
        const res: { body: { items: Array<{ title: string; pinned: boolean }>; nextCursor: string | null } } =
          await intranet.http
            .get('/api/v1/forum/categories/many/topics')
            .query({ limit: 20, ...(cursor ? { cursor } : {}) })
            .expect(200);
        titles.push(...res.body.items.map((t) => t.title));
        cursor = res.body.nextCursor;
      });
      if (n === 1) first = statements;
      if (n === 29) deep = statements;
    }
    expect(titles.slice(0, 4)).toEqual(['Topic 1500', 'Topic 1000', 'Topic 500', 'Topic 0']);
    expect(titles[4]).toBe('Topic 1999');
    expect(new Set(titles).size).toBe(titles.length);
    expect(shape(first)).toEqual(shape(deep));
    expect(deep.filter((q) => /\bOFFSET\b/i.test(q.query))).toEqual([]);
    // The page's statement: the one that continues after the cursor.
    const list = deep.find(
      (q) =>
        /FROM "?`?forum_topic/i.test(q.query) && /last_activity_at["`]?, ["`]?t["`]?\.["`]?id["`]?\) </.test(q.query),
    )!;
    const text = await plan(list.query, list.parameters);
    if (process.env.FORUM_SHOW_PLANS) console.log(text);
    expect(text).toMatch(/idx_forum_topic_list/);
    // A deep page seeks to its cursor instead of reading the pages before it.
    expect(text).toMatch(intranet.engine === 'sqlite' ? /\(last_activity_at,id\)<\(\?,\?\)/ : /t type=range/);
    expect(text).not.toMatch(/TEMP B-TREE|filesort/i);
  });
});
