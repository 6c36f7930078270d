// Core's cross-plugin read paths in `npm run bench` (tests/bench/README.md) and `node
// tests/bench/seed.js search`: search (a two-word query) and the first page of the activity stream,
// each as a signed-in member, against a raw `node:http` handler that runs the same SQL through the
// same driver and answers the same JSON, byte for byte.
//
// The seed makes a search index at volume (`--set search.items=1000000` for the million):
// microblog posts (core_content + microblog_post rows) with text drawn from a vocabulary by a
// Zipf-like law, so that a two-word query matches a realistic share of them, and their entries in
// the search index written straight into its tables as core's indexer writes them, folded by
// core's own functions (core/dist/search/search-text.js). Some posts are hidden or held, some are in
// private spaces the reader is not in, so the visibility condition inside the queries has work to
// do. The posts are by their own people (`writer<i>`) in their own spaces, so the microblog's home
// timeline pairs, which read followed people and spaces, are not disturbed.
'use strict';

const path = require('node:path');

let textFunctions = null;
/**
 * The text functions of the checkout being benched (core's build, loaded on first use so that an
 * unbuilt checkout gets run.js's own message): the seed folds words with them as the indexer does;
 * the baseline reads a query's words and cuts excerpts with them, so that both answers are the same
 * bytes and the comparison measures the rest.
 */
function text() {
  if (!textFunctions)
    textFunctions = require(path.join(__dirname, '..', '..', '..', 'core', 'dist', 'search', 'search-text'));
  return textFunctions;
}

/** Posts per transaction while seeding. */
const CHUNK = 20_000;
/** Page size of both pairs (the routes' default). */
const LIMIT = 20;
/** Words in the vocabulary: the common words below, then made-up ones. */
const VOCABULARY = 30_000;
/** Zipf's exponent: the word of rank r is drawn with weight 1 / r^s (about 1 for English). */
const ZIPF = 1.05;

// The most common words of an intranet's posts, most common first (their rank is their place here),
// with a few Dutch ones and diacritics, so that folding has something to do.
// prettier-ignore
const COMMON = [
  'the', 'to', 'and', 'a', 'of', 'in', 'for', 'is', 'on', 'we', 'you', 'it', 'with', 'this', 'that', 'be', 'at',
  'are', 'our', 'will', 'from', 'have', 'by', 'as', 'all', 'can', 'not', 'please', 'if', 'an', 'or', 'so', 'us',
  'team', 'do', 'up', 'new', 'out', 'about', 'meeting', 'what', 'today', 'they', 'more', 'week', 'there', 'has',
  'just', 'one', 'get', 'project', 'was', 'your', 'any', 'but', 'time', 'me', 'my', 'thanks', 'who', 'how', 'when',
  'next', 'work', 'update', 'plan', 'office', 'review', 'release', 'customer', 'help', 'tomorrow', 'report',
  'room', 'question', 'people', 'service', 'support', 'build', 'data', 'design', 'planning', 'friday', 'monday',
  'budget', 'holiday', 'schedule', 'training', 'floor', 'lunch', 'coffee', 'policy', 'process', 'system',
  'manager', 'deadline', 'sprint', 'client', 'sales', 'plans', 'finance', 'security', 'access', 'server',
  'network', 'laptop', 'printer', 'account', 'invoice', 'contract', 'travel', 'expenses', 'café', 'rota',
  'onboarding', 'handbook', 'wiki', 'forum', 'feedback', 'survey', 'event', 'party', 'kitchen', 'parking',
  'bike', 'desk', 'planned', 'desks', 'chair', 'screen', 'projects', 'reviews', 'reviewed', 'updates', 'updated',
  'meetings', 'reports', 'reporting', 'overleg', 'vergadering', 'één', 'afdeling', 'collega', 'teams', 'goal',
  'goals', 'quarter', 'roadmap', 'launch', 'demo', 'slides', 'agenda', 'notes', 'minutes', 'decision', 'issue',
  'issues', 'bug', 'fix', 'fixed', 'test', 'tests', 'testing', 'deploy', 'migration', 'backup', 'outage',
  'incident', 'status', 'dashboard', 'metrics', 'hiring', 'interview', 'candidate', 'welcome', 'farewell',
  'birthday', 'congratulations', 'volunteer', 'charity', 'workshop', 'course', 'certificate', 'conference',
  'visit', 'visitors', 'reception', 'badge', 'vpn', 'password', 'email', 'calendar', 'phone', 'internet',
  'wifi', 'license', 'software', 'hardware', 'upgrade', 'maintenance', 'facilities', 'cleaning', 'heating',
  'energy', 'sustainability', 'recycling', 'canteen', 'menu', 'salad', 'pizza', 'drinks', 'coördinatie',
  'privé', 'reünie', 'naïef', 'financiën', 'jaarplan', 'straße', 'größe', 'übersicht', 'équipe', 'réunion',
  'planner', 'planners', 'projected', 'reviewer', 'supporting', 'supported', 'designs', 'designer', 'budgets',
  'holidays', 'scheduled', 'trainings', 'trainer', 'floors', 'policies', 'processes', 'systems', 'managers',
];

// Made-up words for the long tail: syllables of a consonant and a vowel, sometimes closed.
const ONSETS = ['b', 'd', 'f', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'st', 'tr', 'pl'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ei', 'oo', 'au'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 'k', 't'];

/** The vocabulary, most common first, and a sampler drawing a word's rank by Zipf's law. */
function vocabulary(random) {
  const words = [...COMMON];
  const seen = new Set(words);
  while (words.length < VOCABULARY) {
    const syllables = 2 + Math.floor(random() * 3);
    let word = '';
    for (let s = 0; s < syllables; s++)
      word +=
        ONSETS[Math.floor(random() * ONSETS.length)] +
        VOWELS[Math.floor(random() * VOWELS.length)] +
        CODAS[Math.floor(random() * CODAS.length)];
    if (!seen.has(word)) {
      seen.add(word);
      words.push(word);
    }
  }
  const cumulative = new Float64Array(words.length);
  let total = 0;
  for (let r = 0; r < words.length; r++) cumulative[r] = total += 1 / Math.pow(r + 1, ZIPF);
  const draw = () => {
    const x = random() * total;
    let lo = 0;
    let hi = words.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
  return { words, draw };
}

/**
 * A post's text: a few sentences (one in seven posts is long, a page's worth), capitalised and
 * punctuated, now and then a word in bold and a list, as people write Markdown.
 */
function postText(random, draw) {
  const long = random() < 1 / 7;
  const sentences = long ? 6 + Math.floor(random() * 15) : 1 + Math.floor(random() * 4);
  const parts = [];
  for (let s = 0; s < sentences; s++) {
    const n = 4 + Math.floor(random() * 11);
    const words = [];
    for (let w = 0; w < n; w++) words.push(draw());
    if (random() < 0.05) words[n - 1] = `**${words[n - 1]}**`;
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    parts.push(words.join(' ') + (random() < 0.85 ? '.' : random() < 0.5 ? '?' : '!'));
  }
  let body = parts.join(' ');
  if (long && random() < 0.3) body += `\n\n- ${draw()} ${draw()}\n- ${draw()} ${draw()} ${draw()}`;
  return body;
}

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
/** A list excerpt as Contents writes it: the text without Markdown marks, 280 characters at most. */
function excerptOf(body) {
  const plain = body
    .replace(/[#>*_`~[\]()!]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return [...plain].length > 280 ? `${[...plain].slice(0, 279).join('')}…` : plain;
}
const inList = (n) => new Array(n).fill('?').join(', ');
const encodeCursor = (key) => Buffer.from(JSON.stringify(key)).toString('base64url');

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
  'created_at',
  'updated_at',
];
const USER_COLUMNS = [
  'id',
  'email',
  'handle',
  'display_name',
  'password_hash',
  'roles',
  'status',
  'created_at',
  'updated_at',
];

const LIST_COLUMNS =
  'c.id, c.type, c.plugin_id, c.space_id, c.author_id, c.status, c.title, c.excerpt, c.created_at, c.updated_at';
/**
 * What a signed-in member who reviews nowhere may see of a published record `c`: organisation-wide,
 * in a public space, or in a space they belong to; and, when it has an audience (a plugin's key
 * narrowing its readers within the space), only when it is theirs or in a space they moderate (no
 * plugin registers audiences yet, so the reader is in none). Three `?`: their id. (Plein's
 * condition also lets held items through to their author and the space's moderators; both queries
 * ask for published items only, where that part decides nothing.)
 */
const VISIBLE =
  "c.status = 'published' AND (c.space_id IS NULL OR EXISTS (SELECT 1 FROM core_space cs WHERE cs.id = c.space_id AND (cs.visibility = 'public' " +
  "OR EXISTS (SELECT 1 FROM core_membership cm WHERE cm.space_id = cs.id AND cm.user_id = ? AND cm.status = 'active')))) " +
  'AND (c.audience IS NULL OR c.author_id = ? OR EXISTS (SELECT 1 FROM core_membership ca WHERE ca.space_id = c.space_id ' +
  "AND ca.user_id = ? AND ca.status = 'active' AND ca.role IN ('moderator', 'admin')))";
/** The parameters of {@link VISIBLE}. */
const visibleParams = (userId) => [userId, userId, userId];

const SQL = {
  /**
   * The stream's first page: newest first by idx_core_content_stream (status, created_at, id),
   * visibility checked on each row as the index gives it.
   */
  activity: `SELECT ${LIST_COLUMNS} FROM core_content c WHERE ${VISIBLE} ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
  /**
   * SQLite: the FTS5 match, each hit's record by primary key and its visibility, ranked by bm25
   * (title four times the text), the title highlighted and the excerpt cut by FTS5, as Plein does.
   * `?`: the MATCH expression, the visibility's three, the limit.
   */
  searchSqlite:
    `SELECT ${LIST_COLUMNS}, (-bm25(s.core_search, 0, 4, 1)) AS score, ` +
    "highlight(s.core_search, 1, char(2), char(3)) AS title_hits, snippet(s.core_search, 2, char(2), char(3), '…', 24) AS excerpt_hits " +
    `FROM core_search s INNER JOIN core_content c ON c.id = s.content_id WHERE s.core_search MATCH ? AND ${VISIBLE} ` +
    'ORDER BY score DESC, s.content_id ASC LIMIT ?',
  /**
   * MySQL: InnoDB FULLTEXT on the folded `w_` terms, scored as Plein scores (text + 2 × title), the
   * text the excerpt is cut from read with the row. `?`: the score's two queries, the match, the
   * visibility's three, the limit.
   */
  searchMysql:
    `SELECT ${LIST_COLUMNS}, c.search_text, ` +
    '(MATCH (s.terms) AGAINST (? IN BOOLEAN MODE) + 2 * MATCH (s.title_terms) AGAINST (? IN BOOLEAN MODE)) AS score ' +
    `FROM core_search s INNER JOIN core_content c ON c.id = s.content_id WHERE MATCH (s.terms) AGAINST (? IN BOOLEAN MODE) AND ${VISIBLE} ` +
    'ORDER BY score DESC, s.content_id ASC LIMIT ?',
  users: (n) => `SELECT id, handle, display_name FROM core_user WHERE id IN (${inList(n)})`,
  itemIds: (table, idColumn, n) =>
    `SELECT ${idColumn} AS item_id, content_id FROM ${table} WHERE content_id IN (${inList(n)})`,
};

/**
 * Core's list rows as API content items (what ContentItems.present does): their people in one
 * query, each content type's item ids in one query on its plugin's table, URLs by the type's pattern.
 */
async function present(ctx, rows) {
  const { db } = ctx;
  const people = new Map();
  const authors = [...new Set(rows.map((r) => r.author_id))];
  if (authors.length) for (const u of await db.all(SQL.users(authors.length), authors)) people.set(u.id, u);
  const byType = new Map();
  for (const r of rows) (byType.get(r.type) || byType.set(r.type, []).get(r.type)).push(r.id);
  const itemIds = new Map();
  for (const [type, ids] of byType) {
    const t = ctx.contentTypes.get(type);
    if (!t) throw new Error(`search bench: content type ${type} is not booted`);
    if (!t.table) continue;
    for (const f of await db.all(SQL.itemIds(t.table, t.idColumn, ids.length), ids))
      itemIds.set(f.content_id, String(f.item_id));
  }
  return rows.map((r) => {
    const itemId = itemIds.get(r.id);
    const author = people.get(r.author_id);
    const pattern = ctx.contentTypes.get(r.type).urlPattern;
    return {
      id: itemId ?? r.id,
      contentId: r.id,
      type: r.type,
      plugin: r.plugin_id,
      status: r.status,
      author: author
        ? { id: author.id, handle: author.handle, displayName: author.display_name }
        : { id: r.author_id, handle: '', displayName: '' },
      spaceId: r.space_id,
      title: r.title,
      excerpt: r.excerpt,
      url:
        !pattern || (pattern.includes('{id}') && itemId === undefined)
          ? null
          : pattern.replace('{contentId}', encodeURIComponent(r.id)).replace('{id}', encodeURIComponent(itemId ?? '')),
      createdAt: db.toDate(r.created_at).toISOString(),
      updatedAt: db.toDate(r.updated_at).toISOString(),
    };
  });
}

/** The raw search: one ranked statement with the visibility inside, then the page's people and item ids. */
async function rawSearch(ctx, url, userId) {
  const { db } = ctx;
  const words = text().queryWords(url.searchParams.get('q') || '');
  let rows;
  if (db.engine === 'sqlite') {
    rows = await db.all(SQL.searchSqlite, [text().ftsMatch(words), ...visibleParams(userId), LIMIT + 1]);
  } else {
    const { all, any } = text().booleanQueries(words);
    rows = await db.all(SQL.searchMysql, [all, any, all, ...visibleParams(userId), LIMIT + 1]);
  }
  const page = rows.slice(0, LIMIT);
  const items = await present(ctx, page);
  const last = page[page.length - 1];
  return {
    items: page.map((row, i) => {
      const hits =
        db.engine === 'sqlite'
          ? { title: row.title_hits ?? '', excerpt: row.excerpt_hits ?? '' }
          : {
              title: text().markHits(row.title ?? '', words),
              excerpt: text().snippetOf(text().bodyOf(row.title, row.search_text ?? null), words, 24),
            };
      return { ...items[i], excerpt: text().hitsHtml(hits.excerpt), titleHtml: text().hitsHtml(hits.title) };
    }),
    nextCursor: rows.length > LIMIT && last ? encodeCursor({ score: Number(last.score), id: last.id }) : null,
  };
}

/** The raw activity stream's first page: one statement by the stream index, then people and item ids. */
async function rawActivity(ctx, _url, userId) {
  const rows = await ctx.db.all(SQL.activity, [...visibleParams(userId), LIMIT + 1]);
  const page = rows.slice(0, LIMIT);
  const last = page[page.length - 1];
  return {
    items: await present(ctx, page),
    nextCursor:
      rows.length > LIMIT && last
        ? encodeCursor({ at: ctx.db.toDate(last.created_at).toISOString(), id: last.id })
        : null,
  };
}

/** `count` distinct numbers below `below`. */
function pick(random, count, below) {
  const chosen = new Set();
  while (chosen.size < Math.min(count, below)) chosen.add(Math.floor(random() * below));
  return [...chosen];
}

module.exports = {
  name: 'search',
  plugin: '@plein/plugin-microblog',
  // items: posts; writers: the people who wrote them; spaces: every third private; q: the query
  // (default: two words of the vocabulary that, together, match about 0.2 % of the posts).
  defaults: { items: 100_000, writers: 1000, spaces: 24, q: 'holiday rota' },

  async seed(ctx, opts) {
    const { dataSource, bulkInsert, sqlDate, randomUUID, progress, engine } = ctx;
    const random = ctx.prng(11);
    const { draw } = vocabulary(random);
    const now = Date.now();
    const started = sqlDate(now);
    const run = now.toString(36);
    const admin = ctx.admin;
    // The reader: a bench person (not the microblog's reader, users[1]), in some of these spaces.
    const reader = ctx.users[ctx.users.length - 1];

    // Writers: their own people, made once (a second seed of the same database adds to them).
    const existing = await dataSource.query(
      "SELECT id FROM core_user WHERE handle LIKE 'writer%' ORDER BY created_at, handle",
    );
    if (existing.length < opts.writers) {
      const rows = [];
      for (let i = existing.length; i < opts.writers; i++) {
        const at = sqlDate(now - (opts.writers - i) * 1000);
        rows.push([
          randomUUID(),
          `writer${i}@example.org`,
          `writer${i}`,
          `Writer ${i}`,
          null,
          'member',
          'active',
          at,
          at,
        ]);
      }
      await dataSource.transaction(async (m) => {
        for (let i = 0; i < rows.length; i += 2000)
          await bulkInsert(m, 'core_user', USER_COLUMNS, rows.slice(i, i + 2000));
      });
    }
    const writers = (
      await dataSource.query("SELECT id FROM core_user WHERE handle LIKE 'writer%' ORDER BY created_at, handle")
    ).map((u) => u.id);

    // Spaces, every third private; the admin made them. Each writer is in one or two; the reader is
    // a member of two private and two public ones and moderates a third public one, so of the posts
    // in private spaces most are not theirs to see.
    const spaces = [];
    const memberships = [];
    for (let i = 0; i < opts.spaces; i++) {
      const id = randomUUID();
      const visibility = i % 3 === 2 ? 'private' : 'public';
      spaces.push({ id, visibility });
      memberships.push([id, admin.id, 'admin', 'active', started]);
    }
    const privates = spaces.filter((s) => s.visibility === 'private');
    const publics = spaces.filter((s) => s.visibility === 'public');
    const readerIn = new Map();
    for (const s of privates.slice(0, 2)) readerIn.set(s.id, 'member');
    for (const s of publics.slice(0, 2)) readerIn.set(s.id, 'member');
    if (publics[2]) readerIn.set(publics[2].id, 'moderator');
    for (const [id, role] of readerIn)
      if (reader.id !== admin.id) memberships.push([id, reader.id, role, 'active', started]);
    const writerSpaces = writers.map(() => []);
    for (let w = 0; w < writers.length && spaces.length; w++)
      for (const s of pick(random, 1 + Math.floor(random() * 2), spaces.length)) {
        writerSpaces[w].push(spaces[s].id);
        memberships.push([spaces[s].id, writers[w], 'member', 'active', started]);
      }
    await dataSource.transaction(async (m) => {
      await bulkInsert(
        m,
        'core_space',
        ['id', 'slug', 'name', 'description', 'visibility', 'join_policy', 'created_by', 'created_at', 'updated_at'],
        spaces.map((s, i) => [
          s.id,
          `search-${run}-${i}`,
          `Search space ${i}`,
          null,
          s.visibility,
          s.visibility === 'public' ? 'open' : 'invite',
          admin.id,
          started,
          started,
        ]),
      );
      for (let i = 0; i < memberships.length; i += 5000)
        await bulkInsert(
          m,
          'core_membership',
          ['space_id', 'user_id', 'role', 'status', 'created_at'],
          memberships.slice(i, i + 5000),
        );
    });

    // Posts over the last year, oldest first; 1 in 50 hidden, 1 in 97 held (neither in the index,
    // as the indexer keeps published items only); 30 % in one of their writer's spaces.
    let docId = 0;
    if (engine === 'sqlite') {
      const [{ n }] = await dataSource.query('SELECT COALESCE(MAX(doc_id), 0) AS n FROM core_search_doc');
      docId = Number(n);
    }
    const span = 365 * 86_400_000;
    const step = Math.max(2, Math.floor((2 * span) / Math.max(1, opts.items)));
    let at = now - span;
    let indexed = 0;
    let inPrivate = 0;
    const isPrivate = new Set(privates.map((s) => s.id));
    for (let start = 0; start < opts.items; start += CHUNK) {
      const contents = [];
      const posts = [];
      const docs = [];
      const entries = [];
      for (let i = start; i < Math.min(opts.items, start + CHUNK); i++) {
        at += 1 + Math.floor(random() * step);
        if (at > now - 1000) at = now - 1000 + (i % 1000);
        const time = sqlDate(at);
        const w = Math.floor(random() * writers.length);
        const space =
          writerSpaces[w].length && random() < 0.3
            ? writerSpaces[w][Math.floor(random() * writerSpaces[w].length)]
            : null;
        if (space && isPrivate.has(space)) inPrivate++;
        const status = i % 50 === 49 ? 'hidden' : i % 97 === 96 ? 'pending' : 'published';
        const body = postText(random, draw);
        const contentId = randomUUID();
        // Contents writes search_text as `title\ntext` (a post has no title: the text).
        // prettier-ignore
        contents.push([contentId, 'microblog.post', 'microblog', space, writers[w], status, null, excerptOf(body) || null, body, status === 'published' ? null : `Bench: ${status}`, time, time, null]);
        // prettier-ignore
        posts.push([randomUUID(), contentId, writers[w], writers[w], space, 'post', null, 0, body, `<p>${escapeHtml(body)}</p>\n`, '[]', '[]', 1, time, time]);
        if (status !== 'published') continue;
        // The index entry, as SearchIndex.put writes it: SQLite keeps the text (FTS5 folds it),
        // MySQL the folded `w_` terms of title and text.
        indexed++;
        if (engine === 'sqlite') {
          docId++;
          docs.push([docId, contentId]);
          entries.push([docId, contentId, text().indexText(null), text().indexText(text().bodyOf(null, body))]);
        } else {
          const titleTerms = text().indexTerms(null);
          entries.push([contentId, titleTerms, `${titleTerms} ${text().indexTerms(text().bodyOf(null, body))}`.trim()]);
        }
      }
      await dataSource.transaction(async (m) => {
        await bulkInsert(m, 'core_content', CONTENT_COLUMNS, contents);
        await bulkInsert(m, 'microblog_post', POST_COLUMNS, posts);
        if (engine === 'sqlite') {
          await bulkInsert(m, 'core_search_doc', ['doc_id', 'content_id'], docs);
          await bulkInsert(m, 'core_search', ['rowid', 'content_id', 'title', 'body'], entries);
        } else {
          await bulkInsert(m, 'core_search', ['content_id', 'title_terms', 'terms'], entries);
        }
      });
      progress('posts', Math.min(opts.items, start + CHUNK), opts.items);
    }

    // As `plein search reindex` leaves it: FTS5's segments merged into one. InnoDB makes its
    // statistics in the background after a bulk change: make them now.
    if (engine === 'sqlite') await dataSource.query("INSERT INTO core_search (core_search) VALUES ('optimize')");
    else
      await dataSource.query(
        'ANALYZE TABLE core_user, core_space, core_membership, core_content, core_search, microblog_post',
      );

    const words = text().queryWords(String(opts.q));
    const [{ n: matches }] =
      engine === 'sqlite'
        ? await dataSource.query('SELECT COUNT(*) AS n FROM core_search WHERE core_search MATCH ?', [
            text().ftsMatch(words),
          ])
        : await dataSource.query(
            'SELECT COUNT(*) AS n FROM core_search s WHERE MATCH (s.terms) AGAINST (? IN BOOLEAN MODE)',
            [text().booleanQueries(words).all],
          );
    return {
      items: opts.items,
      indexed,
      inPrivateSpaces: inPrivate,
      q: String(opts.q),
      matches: Number(matches),
      reader: reader.id,
      readerHandle: reader.handle,
    };
  },

  /** Search for the two words, and the stream's first page, both as the reader. */
  pairs(made) {
    const q = encodeURIComponent(made.q);
    return [
      {
        name: `search "${made.q}" (${made.matches.toLocaleString('en-US')} matches)`,
        plein: `/api/v1/search?q=${q}`,
        raw: `/search?q=${q}`,
        as: made.reader,
        handler: rawSearch,
      },
      {
        name: 'activity stream, first page',
        plein: '/api/v1/activity',
        raw: '/activity',
        as: made.reader,
        handler: rawActivity,
      },
    ];
  },

  rawSearch,
  rawActivity,
  vocabulary,
  postText,
  SQL,
};
