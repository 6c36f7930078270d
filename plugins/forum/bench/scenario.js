// The forum's part of `npm run bench` (tests/bench/README.md) and of `npm run seed:forum`: an
// anonymous reader's view of a public category's topic list, and page 500 of a 10,000-post topic,
// against a raw `node:http` handler that runs the same SQL through the same driver and answers the
// same JSON, byte for byte. The seed makes the volume that matters (`--topics 100000 --posts
// 2000000` by hand): many topics in a category and one very long topic, so the report shows that a
// category's first page and a topic's page 500 cost what a small forum's do (keyset on the forum's
// indexes, no OFFSET).
'use strict';

/** Posts per transaction while seeding. */
const CHUNK = 20_000;
/** The long topic: page 500 at 20 a page. */
const BIG_TOPIC_POSTS = 10_000;
const PER_PAGE = 20;

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
const CATEGORY_COLUMNS = [
  'id',
  'slug',
  'name',
  'description',
  'space_id',
  'parent_id',
  'position',
  'grants',
  'topic_count',
  'created_at',
  'updated_at',
];
const TOPIC_COLUMNS = [
  'id',
  'content_id',
  'category_id',
  'space_id',
  'title',
  'author_id',
  'first_post_id',
  'pinned',
  'pin_scope',
  'pinned_until',
  'locked',
  'closed',
  'close_reason',
  'closed_at',
  'closed_by',
  'solution_post_id',
  'merged_into_id',
  'last_position',
  'last_post_position',
  'last_post_id',
  'last_poster_id',
  'last_activity_at',
  'reply_count',
  'status',
  'created_at',
  'updated_at',
];
const POST_COLUMNS = [
  'id',
  'content_id',
  'topic_id',
  'position',
  'opening',
  'author_id',
  'body',
  'html',
  'version',
  'quote_post_id',
  'quote_author_id',
  'quote_body',
  'quote_html',
  'status',
  'created_at',
  'updated_at',
  'edited_at',
  'editor_id',
];
const SUBJECTS = [
  'The printer on floor 3 jams',
  'Which VPN client for Linux?',
  'Parking during the renovation',
  'Expense claims for train tickets',
  'Onboarding checklist for new starters',
  'Coffee machine descaling schedule',
  'Meeting rooms without a screen',
  'Holiday rota for December',
];

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const inList = (n) => new Array(n).fill('?').join(', ');
const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** What an anonymous visitor may see (Contents.visibleTo(null)), for the row of `alias`. */
const VISIBLE = (alias) =>
  `EXISTS (SELECT 1 FROM core_content c WHERE c.id = ${alias}.content_id AND c.status = 'published' ` +
  "AND (c.space_id IS NULL OR EXISTS (SELECT 1 FROM core_space s WHERE s.id = c.space_id AND s.visibility = 'public')))";

const TOPIC_FIELDS =
  't.id, t.content_id, t.category_id, t.space_id, t.title, t.author_id, t.first_post_id, t.pinned, t.pin_scope, ' +
  't.pinned_until, t.locked, t.closed, t.close_reason, t.closed_at, t.solution_post_id, t.merged_into_id, ' +
  't.last_position, t.last_post_id, t.last_poster_id, t.last_activity_at, t.reply_count, t.status, t.created_at, t.updated_at';
const POST_FIELDS =
  'p.id, p.content_id, p.topic_id, p.position, p.opening, p.author_id, p.body, p.html, p.version, p.quote_post_id, ' +
  'p.quote_author_id, p.quote_body, p.quote_html, p.status, p.created_at, p.updated_at, p.edited_at';

const SQL = {
  /** A topic's promotion to the wiki (the bench seeds none: the answer carries `promotion: null`). */
  promotion: 'SELECT topic_id FROM forum_promotion WHERE topic_id = ?',
  categoryBySlug: 'SELECT id, slug, name FROM forum_category WHERE slug = ?',
  categoryById: 'SELECT id, slug, name FROM forum_category WHERE id = ?',
  /** Plein lifts ended pins before it lists a category: the same (empty) check. */
  expiredPins:
    'SELECT t.id FROM forum_topic t WHERE t.pinned = 1 AND t.pinned_until IS NOT NULL AND t.pinned_until <= ? AND t.category_id = ? LIMIT 100',
  /** One part of a category's list (pinned or not) by the (category_id, pinned, last_activity_at, id) index. */
  topics: (after) =>
    `SELECT ${TOPIC_FIELDS} FROM forum_topic t WHERE t.category_id = ? AND t.pinned = ? AND t.merged_into_id IS NULL` +
    (after ? ' AND (t.last_activity_at, t.id) < (?, ?)' : '') +
    ` AND ${VISIBLE('t')} ORDER BY t.last_activity_at DESC, t.id DESC LIMIT ?`,
  topic: `SELECT ${TOPIC_FIELDS} FROM forum_topic t WHERE t.id = ?`,
  /** A numbered page of a topic by the (topic_id, position) index. */
  posts: `SELECT ${POST_FIELDS} FROM forum_post p WHERE p.topic_id = ? AND p.position > ? AND p.position <= ? AND ${VISIBLE('p')} ORDER BY p.position LIMIT ?`,
  post: `SELECT ${POST_FIELDS} FROM forum_post p WHERE p.id = ? AND p.topic_id = ?`,
  contents: (n) =>
    `SELECT id, status, status_reason, space_id, updated_at FROM core_content WHERE id IN (${inList(n)})`,
  users: (n) => `SELECT id, handle, display_name FROM core_user WHERE id IN (${inList(n)})`,
  tags: (n) => `SELECT topic_id, tag FROM forum_topic_tag WHERE topic_id IN (${inList(n)}) ORDER BY tag`,
  publicSpace: "SELECT id FROM core_space WHERE id = ? AND visibility = 'public'",
};

/** `rows` keyed by `key`, fetched with `sql(n)` for the distinct `ids`. */
async function byIds(db, sql, ids, key = 'id') {
  const unique = [...new Set(ids.filter(Boolean))];
  const map = new Map();
  if (unique.length) for (const row of await db.all(sql(unique.length), unique)) map.set(row[key], row);
  return map;
}

async function people(db, ids) {
  const rows = await byIds(db, SQL.users, ids);
  return new Map([...rows].map(([id, u]) => [id, { id: u.id, handle: u.handle, displayName: u.display_name }]));
}

async function tagsOf(db, topicIds) {
  const tags = new Map();
  if (!topicIds.length) return tags;
  for (const row of await db.all(SQL.tags(topicIds.length), topicIds))
    (tags.get(row.topic_id) || tags.set(row.topic_id, []).get(row.topic_id)).push(row.tag);
  return tags;
}

/** A topic as the API lists it (ForumViewService.topics), for an anonymous reader. */
function topicSummary(db, t, record, who, tags, now) {
  const iso = (v) => db.toDate(v).toISOString();
  const until = t.pinned_until ? db.toDate(t.pinned_until) : null;
  const pinned = Number(t.pinned) === 1 && (!until || until > now);
  return {
    id: t.id,
    contentId: t.content_id,
    type: 'forum.topic',
    status: record ? record.status : t.status,
    author: who.get(t.author_id) || null,
    spaceId: t.space_id,
    createdAt: iso(t.created_at),
    updatedAt: iso(record ? record.updated_at : t.updated_at),
    categoryId: t.category_id,
    title: t.title,
    tags: tags.get(t.id) || [],
    pinned,
    pinScope: pinned ? t.pin_scope : null,
    pinnedUntil: pinned && until ? until.toISOString() : null,
    locked: Boolean(Number(t.locked)),
    closed: Boolean(Number(t.closed)),
    solved: t.solution_post_id !== null,
    replyCount: Number(t.reply_count),
    lastActivityAt: iso(t.last_activity_at),
    lastPostId: t.last_post_id,
    lastPoster: who.get(t.last_poster_id || t.author_id) || null,
    url: `/forum/t/${t.id}`,
    me: null,
  };
}

/** A post as the API answers it (ForumViewService.posts), for an anonymous reader. */
function postView(db, p, record, who, topic) {
  const iso = (v) => db.toDate(v).toISOString();
  return {
    id: p.id,
    contentId: p.content_id,
    type: Number(p.opening) ? 'forum.topic' : 'forum.post',
    status: record ? record.status : p.status,
    statusReason: null,
    author: who.get(p.author_id) || null,
    spaceId: topic.space_id,
    createdAt: iso(p.created_at),
    updatedAt: iso(p.updated_at),
    topicId: p.topic_id,
    position: Number(p.position),
    body: p.body,
    html: p.html,
    version: Number(p.version),
    editedAt: p.edited_at ? iso(p.edited_at) : null,
    quote:
      p.quote_post_id && p.quote_body !== null
        ? {
            postId: p.quote_post_id,
            author: p.quote_author_id ? who.get(p.quote_author_id) || null : null,
            body: p.quote_body,
            html: p.quote_html || '',
            url: `/forum/posts/${p.quote_post_id}`,
          }
        : null,
    solution: topic.solution_post_id === p.id,
    url: `/forum/posts/${p.id}`,
  };
}

/** A record an anonymous reader may see: published, organisation-wide or in a public space. */
async function visibleToAnonymous(db, record) {
  if (!record || record.status !== 'published') return false;
  return !record.space_id || (await db.all(SQL.publicSpace, [record.space_id])).length > 0;
}

function readLimit(url) {
  const value = url.searchParams.get('limit');
  const n = value === null || value === '' ? 20 : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw Object.assign(new Error('limit'), { status: 422 });
  return n;
}

/** GET /api/v1/forum/categories/:slug/topics, anonymous: pinned first, then by last activity. */
async function rawTopics(ctx, url) {
  const { db } = ctx;
  const slug = decodeURIComponent(url.pathname.split('/')[3] || '');
  const limit = readLimit(url);
  const [category] = await db.all(SQL.categoryBySlug, [slug]);
  if (!category) throw Object.assign(new Error('no category'), { status: 404 });
  const now = new Date();
  const nowSql = now.toISOString().replace('T', ' ').replace('Z', '');
  await db.all(SQL.expiredPins, [nowSql, category.id]);
  const raw = url.searchParams.get('cursor');
  const after = raw ? JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) : null;
  const part = (pinned, from, n) =>
    db.all(
      SQL.topics(from),
      from
        ? [category.id, pinned, new Date(from.a).toISOString().replace('T', ' ').replace('Z', ''), from.id, n]
        : [category.id, pinned, n],
    );
  const rows = [];
  if (!after || after.p === 1) rows.push(...(await part(1, after, limit + 1)));
  if (rows.length <= limit)
    rows.push(...(await part(0, after && after.p === 0 ? after : null, limit + 1 - rows.length)));
  const page = rows.slice(0, limit);
  const records = await byIds(
    db,
    SQL.contents,
    page.map((t) => t.content_id),
  );
  const who = await people(
    db,
    page.flatMap((t) => [t.author_id, t.last_poster_id || t.author_id]),
  );
  const tags = await tagsOf(
    db,
    page.map((t) => t.id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((t) => topicSummary(db, t, records.get(t.content_id), who, tags, now)),
    nextCursor:
      rows.length > limit && last
        ? encodeCursor({
            p: Number(last.pinned) === 1 ? 1 : 0,
            a: db.toDate(last.last_activity_at).toISOString(),
            id: last.id,
          })
        : null,
  };
}

/** GET /api/v1/forum/topics/:id?page=n, anonymous: the topic and page n of its posts by position. */
async function rawTopicPage(ctx, url) {
  const { db } = ctx;
  const id = decodeURIComponent(url.pathname.split('/')[3] || '');
  const limit = readLimit(url);
  const page = Number(url.searchParams.get('page') || 1);
  const [topic] = await db.all(SQL.topic, [id]);
  if (!topic) throw Object.assign(new Error('no topic'), { status: 404 });
  const [category] = await db.all(SQL.categoryById, [topic.category_id]);
  const now = new Date();
  const after = (page - 1) * limit;
  const through = page * limit;
  const rows = await db.all(SQL.posts, [topic.id, after, through, limit + 1]);
  const posts = rows.slice(0, limit);
  let solution = null;
  if (topic.solution_post_id) {
    const [post] = await db.all(SQL.post, [topic.solution_post_id, topic.id]);
    if (post) solution = post;
  }
  const records = await byIds(db, SQL.contents, [
    topic.content_id,
    ...posts.map((p) => p.content_id),
    solution && solution.content_id,
  ]);
  const record = records.get(topic.content_id);
  if (!(await visibleToAnonymous(db, record))) throw Object.assign(new Error('not visible'), { status: 404 });
  if (solution && !(await visibleToAnonymous(db, records.get(solution.content_id)))) solution = null;
  const who = await people(db, [
    topic.author_id,
    topic.last_poster_id || topic.author_id,
    ...posts.flatMap((p) => [p.author_id, p.quote_author_id]),
    solution && solution.author_id,
  ]);
  const tags = await tagsOf(db, [topic.id]);
  if ((await db.all(SQL.promotion, [topic.id])).length) throw new Error('the bench seeds no promotions');
  const lastPosition = Number(topic.last_position);
  return {
    ...topicSummary(db, topic, record, who, tags, now),
    statusReason: null,
    category: { id: category.id, slug: category.slug, name: category.name, url: `/forum/c/${category.slug}` },
    firstPostId: topic.first_post_id,
    closeReason: Number(topic.closed) ? topic.close_reason : null,
    closedAt: Number(topic.closed) && topic.closed_at ? db.toDate(topic.closed_at).toISOString() : null,
    mergedIntoId: topic.merged_into_id,
    solutionPostId: topic.solution_post_id,
    solution: solution ? postView(db, solution, records.get(solution.content_id), who, topic) : null,
    lastPosition,
    perPage: limit,
    pageCount: Math.max(1, Math.ceil(lastPosition / limit)),
    page,
    watchLevel: null,
    lastReadPostId: null,
    lastReadPosition: null,
    firstUnreadPosition: null,
    promotion: null,
    posts: {
      items: posts.map((p) => postView(db, p, records.get(p.content_id), who, topic)),
      nextCursor: through < lastPosition ? encodeCursor({ after: through }) : null,
    },
  };
}

/** Statuses as a moderated forum has them: 1 in 50 hidden by a moderator, 1 in 97 held for review. */
const statusOf = (i) => (i % 50 === 49 ? 'hidden' : i % 97 === 96 ? 'pending' : 'published');

module.exports = {
  name: 'forum',
  plugin: '@plein/plugin-forum',
  defaults: { topics: 2_000, posts: 30_000, categories: 5 },

  /**
   * Organisation-wide categories; `topics` topics with their opening posts, one of them 10,000
   * posts long, and `posts` posts in all (the rest spread over the other topics at random), each
   * with its core_content row (1 in 50 hidden, 1 in 97 held) and the counters the forum keeps, in
   * bulk SQL, a transaction per 20,000 posts. Topics start over a year, oldest first; the first
   * category gets the long topic and three pinned ones.
   */
  async seed(ctx, opts) {
    const { dataSource, bulkInsert, sqlDate, randomUUID, progress } = ctx;
    const random = ctx.prng(11);
    const users = ctx.users;
    const topicCount = Math.max(2, opts.topics);
    const postCount = Math.max(opts.posts, topicCount + BIG_TOPIC_POSTS - 1);
    if (!users.length) throw new Error('forum seed: expected at least one person');
    const run = Date.now().toString(36);
    const now = Date.now();
    const someone = () => users[Math.floor(random() * users.length)].id;

    const categories = [];
    for (let i = 0; i < Math.max(1, opts.categories); i++) {
      const at = sqlDate(now - 400 * 86_400_000);
      categories.push([
        randomUUID(),
        `bench-${run}-${i}`,
        `Bench category ${i}`,
        'Seeded by the bench',
        null,
        null,
        i,
        '{}',
        0,
        at,
        at,
      ]);
    }
    await dataSource.transaction((m) => bulkInsert(m, 'forum_category', CATEGORY_COLUMNS, categories));

    // Replies per topic: the long topic has its 9,999; the rest go to the other topics at random.
    const replies = new Uint32Array(topicCount);
    replies[0] = BIG_TOPIC_POSTS - 1;
    for (let r = postCount - topicCount - (BIG_TOPIC_POSTS - 1); r > 0; r--)
      replies[1 + Math.floor(random() * (topicCount - 1))]++;

    const span = 365 * 86_400_000;
    const topicCounts = new Map(categories.map((c) => [c[0], 0]));
    let contents = [];
    let topics = [];
    let posts = [];
    let tags = [];
    let written = 0;
    let big = null;
    const flush = async () => {
      await dataSource.transaction(async (m) => {
        await bulkInsert(m, 'core_content', CONTENT_COLUMNS, contents);
        await bulkInsert(m, 'forum_topic', TOPIC_COLUMNS, topics, 200);
        await bulkInsert(m, 'forum_post', POST_COLUMNS, posts, 200);
        if (tags.length) await bulkInsert(m, 'forum_topic_tag', ['topic_id', 'tag'], tags);
      });
      written += posts.length;
      progress('posts', written, postCount);
      contents = [];
      topics = [];
      posts = [];
      tags = [];
    };
    for (let i = 0; i < topicCount; i++) {
      const category = i < 4 ? categories[0] : categories[Math.floor(random() * categories.length)];
      const started = now - span + Math.floor((i * span) / topicCount);
      const topicId = randomUUID();
      const contentId = randomUUID();
      const author = someone();
      const title = `${SUBJECTS[i % SUBJECTS.length]} (${i})`;
      const text = `Seeded topic ${i}: ${SUBJECTS[i % SUBJECTS.length].toLowerCase()}.`;
      const topicStatus = i < 4 ? 'published' : statusOf(i);
      const time = sqlDate(started);
      contents.push([
        contentId,
        'forum.topic',
        'forum',
        null,
        author,
        topicStatus,
        title,
        text,
        `${title}\n${text}`,
        topicStatus === 'published' ? null : `Bench: ${topicStatus}`,
        time,
        time,
        null,
      ]);
      const firstPostId = randomUUID();
      posts.push([
        firstPostId,
        contentId,
        topicId,
        1,
        1,
        author,
        text,
        `<p>${escapeHtml(text)}</p>\n`,
        1,
        null,
        null,
        null,
        null,
        topicStatus,
        time,
        time,
        null,
        null,
      ]);
      // Replies follow the opening post, a few minutes to a day apart, never in the future.
      let last = { id: firstPostId, position: 1, author, at: started };
      let published = 0;
      let at = started;
      for (let r = 1; r <= replies[i]; r++) {
        at = Math.min(now - 1000, at + 1 + Math.floor(random() * (i === 0 ? 600_000 : 86_400_000)));
        const postId = randomUUID();
        const postContent = randomUUID();
        const replier = someone();
        const status = statusOf(written + posts.length);
        const body = `Reply ${r} in topic ${i}`;
        const t = sqlDate(at);
        contents.push([
          postContent,
          'forum.post',
          'forum',
          null,
          replier,
          status,
          null,
          body,
          body,
          status === 'published' ? null : `Bench: ${status}`,
          t,
          t,
          null,
        ]);
        posts.push([
          postId,
          postContent,
          topicId,
          r + 1,
          0,
          replier,
          body,
          `<p>${escapeHtml(body)}</p>\n`,
          1,
          null,
          null,
          null,
          null,
          status,
          t,
          t,
          null,
          null,
        ]);
        if (status === 'published') {
          published++;
          last = { id: postId, position: r + 1, author: replier, at };
        }
      }
      // Three pinned topics on top of the first category.
      const pinned = i >= 1 && i <= 3 ? 1 : 0;
      topics.push([
        topicId,
        contentId,
        category[0],
        null,
        title,
        author,
        firstPostId,
        pinned,
        pinned ? 'category' : null,
        null,
        0,
        0,
        null,
        null,
        null,
        null,
        null,
        replies[i] + 1,
        last.position,
        last.id,
        last.author,
        sqlDate(last.at),
        published,
        topicStatus,
        time,
        time,
      ]);
      if (i % 10 === 0) tags.push([topicId, `bench${i % 7}`]);
      if (topicStatus === 'published') topicCounts.set(category[0], topicCounts.get(category[0]) + 1);
      if (i === 0) big = { id: topicId, posts: replies[0] + 1 };
      if (posts.length >= CHUNK) await flush();
    }
    if (posts.length) await flush();
    await dataSource.transaction(async (m) => {
      for (const [id, n] of topicCounts)
        await m.query('UPDATE forum_category SET topic_count = ? WHERE id = ?', [n, id]);
    });
    // InnoDB would recompute its statistics in the background; do it now so the plans measured are
    // the ones a settled database gets. SQLite keeps none (Plein runs no ANALYZE).
    if (ctx.engine === 'mysql')
      await dataSource.query('ANALYZE TABLE core_content, forum_topic, forum_post, forum_topic_tag');
    const [{ n }] = await dataSource.query('SELECT COUNT(*) AS n FROM forum_post WHERE topic_id = ?', [big.id]);
    if (Number(n) !== BIG_TOPIC_POSTS)
      throw new Error(`forum seed: expected ${BIG_TOPIC_POSTS} posts in the long topic, found ${n}`);
    return {
      categories: categories.length,
      topics: topicCount,
      posts: postCount,
      category: categories[0][1],
      bigTopic: big,
    };
  },

  pairs(made) {
    const page = Math.ceil(made.bigTopic.posts / PER_PAGE);
    return [
      {
        name: 'forum topic list',
        plein: `/api/v1/forum/categories/${made.category}/topics?limit=${PER_PAGE}`,
        raw: `/forum/categories/${made.category}/topics?limit=${PER_PAGE}`,
        as: 'anonymous',
        handler: rawTopics,
      },
      {
        name: 'forum topic page 1',
        plein: `/api/v1/forum/topics/${made.bigTopic.id}?page=1&limit=${PER_PAGE}`,
        raw: `/forum/topics/${made.bigTopic.id}?page=1&limit=${PER_PAGE}`,
        as: 'anonymous',
        handler: rawTopicPage,
      },
      {
        name: `forum topic page ${page}`,
        plein: `/api/v1/forum/topics/${made.bigTopic.id}?page=${page}&limit=${PER_PAGE}`,
        raw: `/forum/topics/${made.bigTopic.id}?page=${page}&limit=${PER_PAGE}`,
        as: 'anonymous',
        handler: rawTopicPage,
      },
    ];
  },
};
