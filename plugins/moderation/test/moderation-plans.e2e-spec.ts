import { randomUUID } from 'node:crypto';
import { Database, type SignedInUser } from '@plein/sdk';
import { createTestIntranet, type TestIntranet } from '@plein/sdk/testing';
import type { SelectQueryBuilder } from 'typeorm';
import moderation from '../src';
import { ModerationItem } from '../src/entities/moderation-item.entity';
import { ModerationLogEntry } from '../src/entities/moderation-log.entity';
import { ModerationLog } from '../src/services/moderation-log.service';
import { QueueService } from '../src/services/queue.service';

jest.setTimeout(120_000);

const ITEMS = 3000;
const SPACES = ['space-a', 'space-b', 'space-c'].map(() => randomUUID());

/**
 * The queue and the log are read by keyset on an index, never by sorting what matches: the plans
 * (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on MySQL) of every list query name the index and no
 * sort step, and a page far down seeks to its cursor, with a few thousand rows in the tables.
 */
describe('query plans of the moderation lists', () => {
  let intranet: TestIntranet;
  let db: Database;
  let moderator: SignedInUser;

  beforeAll(async () => {
    intranet = await createTestIntranet({ plugins: [moderation] });
    moderator = (await intranet.createUser({ roles: ['moderator'] })).user;
    db = intranet.get(Database);
    const start = Date.now() - ITEMS * 60_000;
    const lanes = ['reports', 'held', 'appeals'] as const;
    const items: ModerationItem[] = [];
    const entries: ModerationLogEntry[] = [];
    for (let i = 0; i < ITEMS; i++) {
      const at = new Date(start + i * 60_000);
      const lane = lanes[i % 3];
      const contentId = randomUUID();
      const open = i % 4 !== 0;
      items.push({
        id: randomUUID(),
        lane,
        status: open ? 'open' : 'decided',
        openKey: open ? `${lane}:${contentId}` : null,
        contentId,
        contentType: 'kudos.kudo',
        spaceId: SPACES[i % 3],
        authorId: moderator.id,
        reason: null,
        reportCount: 1,
        autoHidden: false,
        routeRole: null,
        ruleId: null,
        claimedBy: null,
        claimedAt: null,
        excludedModeratorId: null,
        appealKey: null,
        appealOfItemId: null,
        sanctionId: null,
        appealText: null,
        decision: open ? null : 'hide',
        decisionReason: null,
        decidedBy: null,
        decidedAt: open ? null : at,
        createdAt: at,
        updatedAt: at,
      });
      entries.push({
        id: randomUUID(),
        at,
        actorId: null,
        actorRole: 'system',
        action: i % 2 ? 'item.decided' : 'report.created',
        itemId: null,
        contentId,
        userId: randomUUID(),
        spaceId: SPACES[i % 3],
        reason: null,
        details: null,
      });
    }
    await db.transaction(async (m) => {
      for (let i = 0; i < ITEMS; i += 500) {
        await m.insert(ModerationItem, items.slice(i, i + 500));
        await m.insert(ModerationLogEntry, entries.slice(i, i + 500));
      }
    });
    if (db.engine === 'mysql') await db.manager().query('ANALYZE TABLE moderation_item, moderation_log');
  });
  afterAll(() => intranet.close());

  /** The plan of a query builder's SQL: one line per step. */
  async function plan(qb: SelectQueryBuilder<any>): Promise<string[]> {
    const [sql, parameters] = qb.getQueryAndParameters();
    const values = parameters.map((p) => (p instanceof Date ? p.toISOString().replace('T', ' ').replace('Z', '') : p));
    if (db.engine === 'sqlite') {
      const rows = (await db.manager().query(`EXPLAIN QUERY PLAN ${sql}`, values)) as Array<{ detail: string }>;
      return rows.map((r) => r.detail);
    }
    const rows = (await db.manager().query(`EXPLAIN ${sql}`, values)) as Array<{
      table: string;
      key: string | null;
      Extra: string | null;
    }>;
    return (rows as Array<{ table: string; key: string | null; Extra: string | null; type: string; rows: number }>).map(
      (r) => `${r.table} key=${r.key} type=${r.type} rows=${r.rows} ${r.Extra ?? ''}`,
    );
  }

  /** The plan seeks to the cursor: the time is part of the index range (SQLite), few rows are read (MySQL). */
  function expectSeek(steps: string[]): void {
    if (db.engine === 'sqlite') expect(steps.join('\n')).toMatch(/at[<>]\?/);
    else expect(Math.max(...steps.map((s) => Number(/rows=(\d+)/.exec(s)?.[1] ?? 0)))).toBeLessThan(200);
  }

  function expectIndexed(steps: string[], index: string | RegExp): void {
    expect(steps.join('\n')).toMatch(index);
    // No sort of what matches, and no table scan (an ordered walk of the index is what keyset wants).
    expect(steps.join('\n')).not.toMatch(/TEMP B-TREE|Using filesort|^SCAN [il]$|type=ALL/m);
  }

  it('pages a lane of the queue on (status, lane, created_at, id)', async () => {
    const queue = intranet.get(QueueService);
    const first = queue.listQuery(
      moderator,
      { global: true, spaceIds: [] },
      { lane: 'reports', limit: 20, cursor: null },
    );
    expectIndexed(await plan(first), 'idx_moderation_item_queue');
    // A page near the end seeks to its cursor: it does not walk the lane from its start.
    const later = queue.listQuery(
      moderator,
      { global: true, spaceIds: [] },
      { lane: 'held', limit: 20, cursor: { at: new Date(Date.now() - 30 * 60_000).toISOString(), id: 'x' } },
    );
    const steps = await plan(later);
    expectIndexed(steps, 'idx_moderation_item_queue');
    expectSeek(steps);
    const { rows } = await queue.list(
      moderator,
      { global: true, spaceIds: [] },
      { lane: 'reports', limit: 20, cursor: null },
    );
    expect(rows).toHaveLength(20);
  });

  it('pages one space’s lane on an index, without sorting', async () => {
    const queue = intranet.get(QueueService);
    const qb = queue.listQuery(
      moderator,
      { global: false, spaceIds: [SPACES[0]] },
      { lane: 'reports', spaceId: SPACES[0], limit: 20, cursor: null },
    );
    // Either index serves: the space's own, or the lane's with the space as a filter on its rows.
    expectIndexed(await plan(qb), /idx_moderation_item_(space|queue)/);
  });

  it('pages the log newest first on (at, id), by action, by person and by space', async () => {
    const log = intranet.get(ModerationLog);
    const all = { global: true, spaceIds: [] };
    expectIndexed(await plan(log.pageQuery(all, {}, 50, null)), 'idx_moderation_log_at');
    const early = { at: new Date(Date.now() - (ITEMS - 30) * 60_000).toISOString(), id: 'x' };
    const deep = await plan(log.pageQuery(all, {}, 50, early));
    expectIndexed(deep, 'idx_moderation_log_at');
    expectSeek(deep);
    expectIndexed(await plan(log.query(all, { action: 'item.decided' }).limit(51)), 'idx_moderation_log_action');
    expectIndexed(await plan(log.query(all, { userId: 'someone' }).limit(51)), 'idx_moderation_log_user');
    expectIndexed(await plan(log.query(all, { spaceId: SPACES[1] }).limit(51)), 'idx_moderation_log_space');
  });
});
