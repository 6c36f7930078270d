// The microblog's part of `npm run bench` (tests/bench/README.md) and of `npm run seed:microblog`:
// a signed-in person's home timeline, its first page and a page deep in the past, against a raw
// `node:http` handler that runs the same SQL through the same driver and answers the same JSON,
// byte for byte. The seed makes the volume that matters: many posts, many people, many follows
// (`--users 10000 --posts 1000000 --follows 200` by hand), so the report shows that a timeline page
// costs the same with a thousand posts or a million, on the first page and a deep one.
'use strict';

/** The fixed reaction set, in the order the API lists reactions. */
const REACTIONS = ['👍', '❤️', '🎉', '😄', '🤔', '👀'];
const PHRASES = [
  'Coffee machine on the third floor is fixed',
  'Who has the key to the bike shed?',
  'Great demo this morning, thanks all',
  'Reminder: timesheets are due on Friday',
  'The new meeting room booking tool is live',
  'Lunch walk at noon, anyone?',
  'Slides from the all-hands are on the wiki',
  'The build is green again',
];
/** Posts per transaction while seeding. */
const CHUNK = 20_000;

const POST_COLUMNS = [
  'id',
  'content_id',
  'author_id',
  'editor_id',
  'space_id',
  'kind',
  'reply_to_id',
  'is_reply',
  'body',
  'html',
  'mentions',
  'tags',
  'version',
  'answered',
  'accepted_answer_id',
  'answered_at',
  'answered_by',
  'pinned_at',
  'pinned_until',
  'pinned_by',
  'created_at',
  'updated_at',
  'edited_at',
  'notified_at',
  'deleted_at',
];
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

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const cursorOf = (at, id) => Buffer.from(JSON.stringify({ at, id })).toString('base64url');
const inList = (n) => new Array(n).fill('?').join(', ');

/**
 * What a signed-in member may see (Contents.visibleTo for someone who is neither a site admin nor
 * a reviewer everywhere): published content, their own held content and held content in spaces
 * they moderate; organisation-wide, in public spaces, or in spaces they belong to. Three `?`: the
 * user's id.
 */
const visible = (alias) =>
  `EXISTS (SELECT 1 FROM core_content c WHERE c.id = ${alias}.content_id AND (c.status = 'published' OR (c.status = 'pending' AND (c.author_id = ? OR EXISTS (SELECT 1 FROM core_membership mr WHERE mr.space_id = c.space_id AND mr.user_id = ? AND mr.status = 'active' AND mr.role IN ('moderator', 'admin'))))) ` +
  `AND (c.space_id IS NULL OR EXISTS (SELECT 1 FROM core_space s WHERE s.id = c.space_id AND (s.visibility = 'public' OR EXISTS (SELECT 1 FROM core_membership m WHERE m.space_id = s.id AND m.user_id = ? AND m.status = 'active')))))`;

const POST_FIELDS =
  'p.id, p.content_id, p.author_id, p.space_id, p.kind, p.reply_to_id, p.body, p.html, p.mentions, p.tags, p.version, ' +
  'p.answered, p.accepted_answer_id, p.pinned_at, p.pinned_until, p.created_at, p.edited_at';

const SQL = {
  follows: 'SELECT target_type, target_id FROM microblog_follow WHERE follower_id = ?',
  memberships: "SELECT space_id FROM core_membership WHERE user_id = ? AND status = 'active'",
  /** One source of the home timeline: the keys of a page of its threads after the cursor, index only. */
  source: (column, after) =>
    `SELECT p.id AS id, p.created_at AS created_at FROM microblog_post p WHERE p.${column} = ? AND p.is_reply = 0` +
    (after ? ' AND p.created_at <= ? AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))' : '') +
    ' ORDER BY p.created_at DESC, p.id DESC LIMIT ?',
  /** The home timeline's window: of the newest threads after the cursor, those from the reader's sources. */
  window: (after, authors, spaces) =>
    'SELECT w.id AS id, w.created_at AS created_at FROM (SELECT p.id AS id, p.created_at AS created_at, p.author_id AS author_id, p.space_id AS space_id ' +
    'FROM microblog_post p WHERE p.is_reply = 0' +
    (after ? ' AND p.created_at <= ? AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))' : '') +
    ` ORDER BY p.created_at DESC, p.id DESC LIMIT ?) w WHERE w.author_id IN (${inList(authors)})` +
    (spaces ? ` OR w.space_id IN (${inList(spaces)})` : ''),
  /** The window's last thread. */
  windowEnd: (after) =>
    'SELECT p.id AS id, p.created_at AS created_at FROM microblog_post p WHERE p.is_reply = 0' +
    (after ? ' AND p.created_at <= ? AND (p.created_at < ? OR (p.created_at = ? AND p.id < ?))' : '') +
    ' ORDER BY p.created_at DESC, p.id DESC LIMIT 1 OFFSET ?',
  /** The candidates the reader may see. */
  visiblePosts: (n) => `SELECT ${POST_FIELDS} FROM microblog_post p WHERE p.id IN (${inList(n)}) AND ${visible('p')}`,
  contents: (n) => `SELECT id, status, status_reason, updated_at FROM core_content WHERE id IN (${inList(n)})`,
  users: (n) => `SELECT id, handle, display_name FROM core_user WHERE id IN (${inList(n)})`,
  spaces: (n) => `SELECT id, slug, name FROM core_space WHERE id IN (${inList(n)})`,
  reactions: (n) =>
    `SELECT post_id, emoji, COUNT(*) AS n FROM microblog_reaction WHERE post_id IN (${inList(n)}) GROUP BY post_id, emoji`,
  mine: (n) => `SELECT post_id, emoji FROM microblog_reaction WHERE post_id IN (${inList(n)}) AND user_id = ?`,
  replies: (n) =>
    `SELECT r.reply_to_id AS id, COUNT(*) AS n FROM microblog_post r WHERE r.reply_to_id IN (${inList(n)}) AND ${visible('r')} GROUP BY r.reply_to_id`,
};

/** Sources per statement, as Plein does (SQLite allows 500 terms in a compound SELECT). */
const SOURCES_PER_QUERY = 100;
/** Threads of everyone the window looks through per post wanted, as Plein. */
const WINDOW_PER_POST = 50;
/** Rounds of the merge before a short page is answered, and most keys a round reads per source, as Plein. */
const MAX_ROUNDS = 5;
const MAX_ROUND_SIZE = 500;

/** `YYYY-MM-DD HH:MM:SS.SSS` in UTC, how TypeORM stores a datetime(3) and how both drivers take it. */
const sqlTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
/** Newest first; at the same millisecond, the greater id first. */
const newestFirst = (a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function readCursor(value) {
  if (!value) return null;
  const raw = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  return { at: Date.parse(raw.at), id: raw.id };
}

/**
 * The raw home timeline: the same algorithm and statements as Plein (the reader's sources; per
 * round the keys of a page from each source, index only, merged and cut at the horizon; the
 * candidates checked for visibility a page at a time; then the page's records, people, spaces,
 * reactions and reply counts in one `IN (…)` each) and the same JSON, built by hand.
 */
async function rawTimeline(ctx, url, userId) {
  const { db } = ctx;
  const toDate = (v) => (v === null || v === undefined ? null : db.toDate(v));
  const limit = Number(url.searchParams.get('limit') || 20);
  const want = limit + 1;
  const cursor = readCursor(url.searchParams.get('cursor'));
  const authors = new Set([userId]);
  const spaces = new Set((await db.all(SQL.memberships, [userId])).map((m) => m.space_id));
  for (const f of await db.all(SQL.follows, [userId])) (f.target_type === 'user' ? authors : spaces).add(f.target_id);
  const sources = [
    ...[...authors].sort().map((value) => ['author_id', value]),
    ...[...spaces].sort().map((value) => ['space_id', value]),
  ];
  const found = [];
  const visibleOf = async (batch) => {
    const rows = await db.all(SQL.visiblePosts(batch.length), [...batch.map((k) => k.id), userId, userId, userId]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return batch.filter((k) => byId.has(k.id)).map((k) => byId.get(k.id));
  };
  const collect = async (candidates, first) => {
    let batch = first;
    for (
      let i = 0;
      i < candidates.length && found.length < want;
      i += batch, batch = Math.min(batch * 2, MAX_ROUND_SIZE)
    )
      found.push(...(await visibleOf(candidates.slice(i, i + batch))));
  };
  const keyParams = (from) => (from ? [sqlTime(from.at), sqlTime(from.at), sqlTime(from.at), from.id] : []);
  const size = want * WINDOW_PER_POST;
  const authorList = [...authors];
  const spaceList = [...spaces];
  const windowRows = await db.all(SQL.window(cursor, authorList.length, spaceList.length), [
    ...keyParams(cursor),
    size,
    ...authorList,
    ...spaceList,
  ]);
  await collect(
    windowRows.map((r) => ({ at: toDate(r.created_at).getTime(), id: r.id })).sort(newestFirst),
    Math.ceil(want * 1.25),
  );
  let from = null;
  if (found.length < want) {
    const [end] = await db.all(SQL.windowEnd(cursor), [...keyParams(cursor), size - 1]);
    if (end) from = { at: toDate(end.created_at).getTime(), id: end.id };
  }
  let next = null;
  for (let round = 1; from && found.length < want; round++) {
    const size = Math.min(want * 2 ** (round - 1), MAX_ROUND_SIZE);
    const rows = [];
    for (let i = 0; i < sources.length; i += SOURCES_PER_QUERY) {
      const chunk = sources.slice(i, i + SOURCES_PER_QUERY);
      const sql = chunk
        .map(
          ([column], n) =>
            `SELECT ${i + n} AS src, s${n}.id AS id, s${n}.created_at AS created_at FROM (${SQL.source(column, from)}) s${n}`,
        )
        .join(' UNION ALL ');
      const params = chunk.flatMap(([, value]) => [value, ...keyParams(from), size]);
      for (const row of await db.all(sql, params))
        rows.push({ src: Number(row.src), key: { at: toDate(row.created_at).getTime(), id: row.id } });
    }
    const bySource = new Map();
    for (const row of rows) (bySource.get(row.src) || bySource.set(row.src, []).get(row.src)).push(row.key);
    let horizon = null;
    for (const keys of bySource.values()) {
      if (keys.length < size) continue;
      const last = keys.reduce((a, b) => (newestFirst(a, b) > 0 ? a : b));
      if (!horizon || newestFirst(last, horizon) < 0) horizon = last;
    }
    const seen = new Set();
    const candidates = rows
      .map((r) => r.key)
      .filter((k) => (!horizon || newestFirst(k, horizon) <= 0) && !seen.has(k.id) && seen.add(k.id))
      .sort(newestFirst);
    await collect(candidates, Math.ceil(size * 1.25));
    if (found.length >= want || !horizon) break;
    from = horizon;
    if (round === MAX_ROUNDS) {
      next = horizon;
      break;
    }
  }
  for (const r of found) r.created = toDate(r.created_at);
  const page = found.slice(0, limit);
  const more = found.length > limit || next !== null;
  const pageIds = page.map((p) => p.id);
  const byId = async (sql, list) => {
    const unique = [...new Set(list)];
    const map = new Map();
    if (unique.length) for (const row of await db.all(sql(unique.length), unique)) map.set(row.id, row);
    return map;
  };
  const contents = await byId(
    SQL.contents,
    page.map((p) => p.content_id),
  );
  const people = await byId(
    SQL.users,
    page.map((p) => p.author_id),
  );
  const spaceRows = await byId(SQL.spaces, page.map((p) => p.space_id).filter(Boolean));
  const reactions = new Map(pageIds.map((id) => [id, []]));
  const mine = new Set();
  const replyCounts = new Map();
  if (pageIds.length) {
    for (const m of await db.all(SQL.mine(pageIds.length), [...pageIds, userId])) mine.add(`${m.post_id} ${m.emoji}`);
    for (const r of await db.all(SQL.reactions(pageIds.length), pageIds))
      reactions.get(r.post_id).push({ emoji: r.emoji, count: Number(r.n), mine: mine.has(`${r.post_id} ${r.emoji}`) });
    for (const list of reactions.values()) list.sort((a, b) => REACTIONS.indexOf(a.emoji) - REACTIONS.indexOf(b.emoji));
    for (const r of await db.all(SQL.replies(pageIds.length), [...pageIds, userId, userId, userId]))
      replyCounts.set(r.id, Number(r.n));
  }
  const now = Date.now();
  const items = page.map((p) => {
    const record = contents.get(p.content_id);
    const author = people.get(p.author_id);
    const space = p.space_id ? spaceRows.get(p.space_id) : null;
    const pinnedAt = toDate(p.pinned_at);
    const pinnedUntil = toDate(p.pinned_until);
    const pinned = pinnedAt && (!pinnedUntil || pinnedUntil.getTime() > now);
    return {
      id: p.id,
      contentId: p.content_id,
      type: 'microblog.post',
      status: record ? record.status : 'published',
      statusReason: record ? record.status_reason : null,
      author: author ? { id: author.id, handle: author.handle, displayName: author.display_name } : null,
      spaceId: p.space_id,
      space: space ? { id: space.id, slug: space.slug, name: space.name } : null,
      kind: p.kind,
      body: p.body,
      html: p.html,
      replyToId: p.reply_to_id,
      mentions: JSON.parse(p.mentions),
      tags: JSON.parse(p.tags),
      reactions: reactions.get(p.id),
      replyCount: replyCounts.get(p.id) || 0,
      version: Number(p.version),
      editedAt: p.edited_at ? toDate(p.edited_at).toISOString() : null,
      answered: p.kind === 'question' ? Boolean(p.answered) : null,
      acceptedAnswerId: p.accepted_answer_id,
      pinned: pinned ? { at: pinnedAt.toISOString(), until: pinnedUntil ? pinnedUntil.toISOString() : null } : null,
      url: `/microblog/posts/${p.id}`,
      createdAt: p.created.toISOString(),
      updatedAt: (record ? toDate(record.updated_at) : p.created).toISOString(),
    };
  });
  const first = page[0];
  const last = next ? { created: new Date(next.at), id: next.id } : page[page.length - 1];
  return {
    items,
    nextCursor: more && last ? cursorOf(last.created.toISOString(), last.id) : null,
    latestCursor: first
      ? cursorOf(first.created.toISOString(), first.id)
      : cursor
        ? null
        : cursorOf(new Date(now).toISOString(), ''),
  };
}

/** `count` distinct numbers below `below`, none equal to `not`. */
function pick(random, count, below, not) {
  const chosen = new Set();
  const want = Math.min(count, below - (not === undefined ? 0 : 1));
  while (chosen.size < want) {
    const n = Math.floor(random() * below);
    if (n !== not) chosen.add(n);
  }
  return [...chosen];
}

module.exports = {
  name: 'microblog',
  plugin: '@plein/plugin-microblog',
  defaults: { posts: 100_000, follows: 50, spaces: 20 },

  /**
   * Spaces and memberships, posts (with their core_content rows: 1 in 50 hidden, 1 in 97 held, so
   * the visibility rules have something to keep out), replies, questions, hashtags, reactions and
   * follows, in bulk SQL, a transaction per 20,000 posts. Posts are spread over a year, oldest
   * first, never two at the same millisecond.
   */
  async seed(ctx, opts) {
    const { dataSource, bulkInsert, sqlDate, randomUUID, progress } = ctx;
    const random = ctx.prng(7);
    const users = ctx.users;
    if (users.length < 2) throw new Error('microblog seed: expected at least 2 people');
    const run = Date.now().toString(36);
    const now = Date.now();
    const started = sqlDate(now);

    // Spaces: every fifth private. The first person (the admin) made them and administers them.
    const spaceRows = [];
    const memberships = [];
    for (let i = 0; i < opts.spaces; i++) {
      const id = randomUUID();
      const visibility = i % 5 === 4 ? 'private' : 'public';
      spaceRows.push([
        id,
        `bench-${run}-${i}`,
        `Bench space ${i}`,
        null,
        visibility,
        visibility === 'public' ? 'open' : 'invite',
        users[0].id,
        started,
        started,
      ]);
      memberships.push([id, users[0].id, 'admin', 'active', started]);
    }
    // Everyone else belongs to one or two spaces.
    for (let u = 1; u < users.length && spaceRows.length; u++)
      for (const s of pick(random, 1 + Math.floor(random() * 2), spaceRows.length))
        memberships.push([spaceRows[s][0], users[u].id, 'member', 'active', started]);
    await dataSource.transaction(async (m) => {
      await bulkInsert(
        m,
        'core_space',
        ['id', 'slug', 'name', 'description', 'visibility', 'join_policy', 'created_by', 'created_at', 'updated_at'],
        spaceRows,
      );
      for (let i = 0; i < memberships.length; i += 5000)
        await bulkInsert(
          m,
          'core_membership',
          ['space_id', 'user_id', 'role', 'status', 'created_at'],
          memberships.slice(i, i + 5000),
        );
    });

    // Posts, oldest first, so a reply always answers an older post.
    const span = 365 * 86_400_000;
    const step = Math.max(2, Math.floor((2 * span) / Math.max(1, opts.posts)));
    let at = now - span;
    const recent = []; // the latest threads, for replies to pick from
    const deepIndex = Math.floor(opts.posts * 0.2);
    let deep = null;
    for (let start = 0; start < opts.posts; start += CHUNK) {
      const posts = [];
      const contents = [];
      const tags = [];
      const reactions = [];
      for (let i = start; i < Math.min(opts.posts, start + CHUNK); i++) {
        at += 1 + Math.floor(random() * step);
        if (at > now - 1000) at = now - 1000 + (i % 1000); // never in the future
        const time = sqlDate(at);
        const id = randomUUID();
        const contentId = randomUUID();
        const author = users[Math.floor(random() * users.length)].id;
        let parent = null;
        let space = null;
        let kind = 'post';
        if (recent.length && random() < 0.1) {
          parent = recent[Math.floor(random() * recent.length)];
          space = parent.space;
        } else {
          if (spaceRows.length && random() < 0.15) space = spaceRows[Math.floor(random() * spaceRows.length)][0];
          if (random() < 0.05) kind = 'question';
        }
        const tag = random() < 0.1 ? `bench${Math.floor(random() * 50)}` : null;
        const text = `${PHRASES[i % PHRASES.length]} (${i})${kind === 'question' ? '?' : ''}`;
        const body = tag ? `${text} #${tag}` : text;
        const html = `<p>${escapeHtml(text)}${tag ? ` <a href="/microblog/tags/${tag}" class="hashtag">#${tag}</a>` : ''}</p>\n`;
        const status = i % 50 === 49 ? 'hidden' : i % 97 === 96 ? 'pending' : 'published';
        contents.push([
          contentId,
          'microblog.post',
          'microblog',
          space,
          author,
          status,
          null,
          body,
          body,
          status === 'published' ? null : `Bench: ${status}`,
          time,
          time,
          null,
        ]);
        // prettier-ignore
        posts.push([id, contentId, author, author, space, kind, parent ? parent.id : null, parent ? 1 : 0, body, html, '[]', JSON.stringify(tag ? [tag] : []), 1, 0, null, null, null, null, null, null, time, time, null, null, null]);
        if (tag) tags.push([id, tag, time]);
        if (random() < 0.1)
          for (const u of pick(random, 1 + Math.floor(random() * 3), users.length))
            reactions.push([id, users[u].id, REACTIONS[Math.floor(random() * REACTIONS.length)], time]);
        if (!parent) {
          recent.push({ id, space });
          if (recent.length > 5000) recent.shift();
        }
        if (i === deepIndex) deep = { at: new Date(at).toISOString(), id };
      }
      await dataSource.transaction(async (m) => {
        await bulkInsert(m, 'core_content', CONTENT_COLUMNS, contents);
        await bulkInsert(m, 'microblog_post', POST_COLUMNS, posts, 250);
        if (tags.length) await bulkInsert(m, 'microblog_tag', ['post_id', 'tag', 'created_at'], tags);
        if (reactions.length)
          await bulkInsert(m, 'microblog_reaction', ['post_id', 'user_id', 'emoji', 'created_at'], reactions);
      });
      progress('posts', Math.min(opts.posts, start + CHUNK), opts.posts);
    }

    // Follows: each person follows `follows` others and one space.
    let follows = 0;
    const perChunk = Math.max(1, Math.floor(50_000 / Math.max(1, opts.follows + 1)));
    for (let start = 0; start < users.length; start += perChunk) {
      const rows = [];
      for (let u = start; u < Math.min(users.length, start + perChunk); u++) {
        for (const other of pick(random, opts.follows, users.length, u))
          rows.push([users[u].id, 'user', users[other].id, started]);
        if (spaceRows.length)
          rows.push([users[u].id, 'space', spaceRows[Math.floor(random() * spaceRows.length)][0], started]);
      }
      await dataSource.transaction(async (m) => {
        for (let i = 0; i < rows.length; i += 5000)
          await bulkInsert(
            m,
            'microblog_follow',
            ['follower_id', 'target_type', 'target_id', 'created_at'],
            rows.slice(i, i + 5000),
          );
      });
      follows += rows.length;
      progress('follows', Math.min(users.length, start + perChunk), users.length);
    }

    // InnoDB makes its statistics in the background after a bulk change: make them now, so the
    // first requests are not planned without them. SQLite keeps none (Plein runs no ANALYZE).
    if (ctx.engine === 'mysql')
      await dataSource.query(
        'ANALYZE TABLE core_content, core_space, core_membership, microblog_post, microblog_tag, microblog_reaction, microblog_follow',
      );
    const reader = users[1];
    return {
      posts: opts.posts,
      follows,
      spaces: spaceRows.length,
      reader: reader.id,
      readerHandle: reader.handle,
      deepCursor: deep ? cursorOf(deep.at, deep.id) : null,
    };
  },

  /** The home timeline of a person who follows `follows` people: its first page, and one deep in the past. */
  pairs(made) {
    const pair = (label, query, raw) => ({
      name: `home timeline, ${label}`,
      plein: `/api/v1/microblog/timeline?${query}`,
      raw: `/microblog/${raw}?${query}`,
      as: made.reader,
      sameBody: true,
      handler: rawTimeline,
    });
    const pairs = [pair('first page', 'limit=20', 'timeline-first')];
    if (made.deepCursor) pairs.push(pair('deep page', `limit=20&cursor=${made.deepCursor}`, 'timeline-deep'));
    return pairs;
  },

  rawTimeline,
  SQL,
};
