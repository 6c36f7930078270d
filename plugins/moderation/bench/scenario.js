// The moderation plugin's part of `npm run bench` (tests/bench/README.md) and of
// `npm run seed:moderation`: the review queue as a global moderator reads it, its first page and a
// page near the end of 100,000 queued items, against a raw `node:http` handler that runs the same
// SQL through the same driver and answers the same JSON, byte for byte. Both pages cost the same:
// keyset on (status, lane, created_at, id), never OFFSET.
//
// The seed makes, in bulk SQL: one kudo per item (core_content + kudos_kudo rows, two months old, so
// the kudos list of the bench is not disturbed), 80 % of the items open in the `reports` lane with
// one member's report each, 10 % open in `held` (their kudo pending), 10 % decided.
'use strict';

const CHUNK = 5_000;
/** Page size of both pairs. */
const LIMIT = 20;

const CONTENT_COLUMNS = [
  'id',
  'type',
  'plugin_id',
  'space_id',
  'author_id',
  'status',
  'title',
  'excerpt',
  'search_text',
  'status_reason',
  'created_at',
  'updated_at',
  'edited_at',
];
const KUDO_COLUMNS = ['id', 'from_user_id', 'to_user_id', 'message', 'content_id', 'created_at'];
const ITEM_COLUMNS = [
  'id',
  'lane',
  'status',
  'open_key',
  'content_id',
  'content_type',
  'space_id',
  'author_id',
  'reason',
  'report_count',
  'auto_hidden',
  'route_role',
  'rule_id',
  'claimed_by',
  'claimed_at',
  'excluded_moderator_id',
  'appeal_key',
  'appeal_of_item_id',
  'sanction_id',
  'appeal_text',
  'decision',
  'decision_reason',
  'decided_by',
  'decided_at',
  'created_at',
  'updated_at',
];
const REPORT_COLUMNS = ['id', 'item_id', 'content_id', 'reporter_id', 'reason', 'note', 'rule_id', 'created_at'];
const REASONS = ['spam', 'abuse', 'off-topic', 'confidential', 'other'];

const RECORD_SQL =
  'SELECT id, type, plugin_id, space_id, author_id, status, title, excerpt, status_reason, created_at, updated_at, edited_at FROM core_content WHERE id IN ';
const placeholders = (n) => `(${new Array(n).fill('?').join(', ')})`;
const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** What the queue route runs for a global moderator (site admins see routed items too). */
function queueSql(cursor) {
  return (
    'SELECT * FROM moderation_item i WHERE i.status = ? AND i.lane = ? ' +
    'AND (i.excluded_moderator_id IS NULL OR i.excluded_moderator_id <> ?)' +
    (cursor ? ' AND i.created_at >= ? AND (i.created_at > ? OR i.id > ?)' : '') +
    ' ORDER BY i.created_at ASC, i.id ASC LIMIT ?'
  );
}

/** The queue page, as `GET /api/v1/moderation/queue?lane=reports&limit=…&cursor=…` answers it. */
async function queuePage(ctx, url, asUser) {
  const db = ctx.db;
  const iso = (v) => (v === null || v === undefined ? null : db.toDate(v).toISOString());
  const limit = Number(url.searchParams.get('limit') || 20);
  const cursorText = url.searchParams.get('cursor');
  const cursor = cursorText ? JSON.parse(Buffer.from(cursorText, 'base64url').toString('utf8')) : null;
  const at = cursor
    ? db.engine === 'sqlite'
      ? cursor.at.replace('T', ' ').replace('Z', '')
      : new Date(cursor.at)
    : null;
  const rows = await db.all(queueSql(cursor), [
    'open',
    'reports',
    asUser,
    ...(cursor ? [at, at, cursor.id] : []),
    limit + 1,
  ]);
  const page = rows.slice(0, limit);
  const contentIds = page.map((i) => i.content_id).filter(Boolean);
  const records = new Map();
  if (contentIds.length)
    for (const r of await db.all(RECORD_SQL + placeholders(contentIds.length), contentIds)) records.set(r.id, r);
  const urls = new Map();
  const kudos = contentIds.filter((id) => records.get(id)?.type === 'kudos.kudo');
  if (kudos.length && ctx.plugins.some((p) => p.id === 'kudos')) {
    for (const k of await db.all(
      `SELECT id AS item_id, content_id FROM kudos_kudo WHERE content_id IN ${placeholders(kudos.length)}`,
      kudos,
    )) {
      urls.set(k.content_id, `/kudos#kudos.kudo-${encodeURIComponent(String(k.item_id))}`);
    }
  }
  const reports = page.length
    ? await db.all(
        `SELECT * FROM moderation_report r WHERE r.item_id IN ${placeholders(page.length)} ORDER BY r.created_at ASC, r.id ASC`,
        page.map((i) => i.id),
      )
    : [];
  const ids = [
    ...new Set(
      [...page.flatMap((i) => [i.author_id, i.claimed_by, i.decided_by]), ...reports.map((r) => r.reporter_id)].filter(
        Boolean,
      ),
    ),
  ];
  const people = new Map();
  if (ids.length) {
    for (const u of await db.all(
      `SELECT id, handle, display_name FROM core_user WHERE id IN ${placeholders(ids.length)}`,
      ids,
    )) {
      people.set(u.id, { id: u.id, handle: u.handle, displayName: u.display_name });
    }
  }
  const reportsOf = new Map();
  for (const r of reports) (reportsOf.get(r.item_id) ?? reportsOf.set(r.item_id, []).get(r.item_id)).push(r);
  const items = page.map((i) => {
    const record = i.content_id ? records.get(i.content_id) : undefined;
    return {
      id: i.id,
      lane: i.lane,
      status: i.status,
      content: record
        ? {
            id: record.id,
            contentId: record.id,
            type: record.type,
            typeName: record.type === 'kudos.kudo' && ctx.plugins.some((p) => p.id === 'kudos') ? 'Kudo' : record.type,
            status: record.status,
            title: record.title,
            excerpt: record.excerpt,
            statusReason: record.status_reason,
            url: urls.get(record.id) ?? null,
            spaceId: record.space_id,
            author: people.get(record.author_id) ?? null,
            createdAt: iso(record.created_at),
            updatedAt: iso(record.updated_at),
            editedAt: iso(record.edited_at),
          }
        : null,
      sanction: null,
      author: people.get(i.author_id) ?? null,
      reason: i.reason,
      reportCount: Number(i.report_count),
      autoHidden: Boolean(Number(i.auto_hidden)),
      routeRole: i.route_role,
      reports: (reportsOf.get(i.id) ?? []).slice(0, 20).map((r) => ({
        id: r.id,
        reason: r.reason,
        note: r.note,
        reporter: r.reporter_id ? (people.get(r.reporter_id) ?? null) : null,
        source: r.reporter_id ? 'member' : 'rule',
        ruleId: r.rule_id,
        createdAt: iso(r.created_at),
      })),
      claimedBy: i.claimed_by ? (people.get(i.claimed_by) ?? null) : null,
      claimedAt: iso(i.claimed_at),
      appeal:
        i.lane === 'appeals'
          ? { text: i.appeal_text ?? '', appealOfItemId: i.appeal_of_item_id, sanctionId: i.sanction_id }
          : null,
      decision:
        i.decision && i.decided_at
          ? {
              action: i.decision,
              reason: i.decision_reason,
              by: i.decided_by ? (people.get(i.decided_by) ?? null) : null,
              at: iso(i.decided_at),
            }
          : null,
      createdAt: iso(i.created_at),
      updatedAt: iso(i.updated_at),
    };
  });
  const last = page[page.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: iso(last.created_at), id: last.id }) : null,
  };
}

module.exports = {
  name: 'moderation',
  plugin: '@plein/plugin-moderation',
  defaults: { items: 100_000 },

  async seed(ctx, opts) {
    const total = opts.items;
    const random = ctx.prng(20);
    const people = ctx.users;
    const admin = ctx.admin ?? people[0];
    const start = Date.now() - 60 * 86_400_000;
    const openReports = [];
    let made = 0;
    for (let from = 0; from < total; from += CHUNK) {
      const contents = [];
      const kudos = [];
      const items = [];
      const reports = [];
      for (let i = from; i < Math.min(total, from + CHUNK); i++) {
        const at = ctx.sqlDate(start + i * 1000);
        const author = people[Math.floor(random() * people.length)];
        let reporter = people[Math.floor(random() * people.length)];
        if (reporter.id === author.id) reporter = people[(people.indexOf(author) + 1) % people.length];
        const kind = i % 10 === 8 ? 'held' : i % 10 === 9 ? 'decided' : 'reports';
        const contentId = ctx.randomUUID();
        const itemId = ctx.randomUUID();
        const message = `Thanks for the help with ticket ${i}`;
        const status = kind === 'held' ? 'pending' : kind === 'decided' ? 'hidden' : 'published';
        contents.push([
          contentId,
          'kudos.kudo',
          'kudos',
          null,
          author.id,
          status,
          null,
          message,
          message,
          kind === 'held' ? 'Held for review' : null,
          at,
          at,
          null,
        ]);
        kudos.push([ctx.randomUUID(), author.id, reporter.id, message, contentId, at]);
        const lane = kind === 'held' ? 'held' : 'reports';
        const open = kind !== 'decided';
        items.push([
          itemId,
          lane,
          open ? 'open' : 'decided',
          open ? `${lane}:${contentId}` : null,
          contentId,
          'kudos.kudo',
          null,
          author.id,
          kind === 'held' ? 'Held for review' : null,
          lane === 'reports' ? 1 : 0,
          0,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          open ? null : 'hide',
          open ? null : 'Seeded decision',
          open ? null : admin.id,
          open ? null : at,
          at,
          at,
        ]);
        if (lane === 'reports') {
          reports.push([
            ctx.randomUUID(),
            itemId,
            contentId,
            reporter.id,
            REASONS[i % REASONS.length],
            i % 3 ? null : 'Seeded report',
            null,
            at,
          ]);
          if (open) openReports.push({ at: start + i * 1000, id: itemId });
        }
      }
      await ctx.dataSource.transaction(async (m) => {
        await ctx.bulkInsert(m, 'core_content', CONTENT_COLUMNS, contents, 250);
        await ctx.bulkInsert(m, 'kudos_kudo', KUDO_COLUMNS, kudos, 500);
        await ctx.bulkInsert(m, 'moderation_item', ITEM_COLUMNS, items, 250);
        await ctx.bulkInsert(m, 'moderation_report', REPORT_COLUMNS, reports, 500);
      });
      made += items.length;
      ctx.progress('queue items', made, total);
    }
    if (ctx.engine === 'mysql')
      await ctx.dataSource.query('ANALYZE TABLE moderation_item, moderation_report, core_content, kudos_kudo');
    // The same order the queue reads: created_at, then id.
    openReports.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const before = openReports[Math.max(0, openReports.length - LIMIT - 10)];
    return {
      items: made,
      openReports: openReports.length,
      adminId: admin.id,
      deepCursor: before ? encodeCursor({ at: new Date(before.at).toISOString(), id: before.id }) : null,
    };
  },

  pairs(seeded) {
    const pairs = [
      {
        name: 'queue, first page',
        plein: `/api/v1/moderation/queue?lane=reports&limit=${LIMIT}`,
        raw: `/moderation-queue?lane=reports&limit=${LIMIT}`,
        as: seeded.adminId,
        handler: queuePage,
      },
    ];
    if (seeded.deepCursor) {
      pairs.push({
        name: `queue, page at item ${(seeded.openReports - LIMIT - 10).toLocaleString('en-US')} of ${seeded.openReports.toLocaleString('en-US')}`,
        plein: `/api/v1/moderation/queue?lane=reports&limit=${LIMIT}&cursor=${seeded.deepCursor}`,
        raw: `/moderation-queue-deep?lane=reports&limit=${LIMIT}&cursor=${seeded.deepCursor}`,
        as: seeded.adminId,
        handler: queuePage,
      });
    }
    return pairs;
  },
};
