#!/usr/bin/env node
// `npm run bench`: Plein's main read paths against a raw baseline, in one process, in one run.
//
// Boots Plein (core + the kudos example) on a fresh database, seeds it with bulk SQL, starts a raw
// `node:http` server in the same process that runs the same queries through the same driver, and
// loads each pair of routes in turn with autocannon (in a child process, so the load generator
// shares neither the servers' event loop nor their CPU accounting). Speed is reported, not
// asserted: the exit code is 1 only when the bench itself broke (boot, seed, a non-2xx or errored
// request, a baseline that answers something else than Plein).
//
//   node tests/bench/run.js [--duration 10] [--warmup 2] [--rounds 1] [--kudos 10000] [--users 200]
//                           [--connections 50] [--only kudos,health] [--side both|plein|raw] [--root DIR]
//
//   DATABASE_URL  unset or sqlite:…: SQLite in a temporary folder. mysql://…: that server, with the database
//                 name replaced by `plein_bench` (dropped before and after the run).
//
// To add a pair for core or the kudos example, add an entry to PAIRS below: a name, Plein's path,
// the raw path and a raw handler `(ctx, url) => body` that runs the same queries through `ctx.db`
// (see makeRawDb). A plugin brings its own pairs in `plugins/<id>/bench/scenario.js` (see
// loadScenarios and tests/bench/README.md): the bench boots its plugin, runs its seed and loads its
// pairs after the kudos ones. Core routes that need a volume of content (search, the activity
// stream) have scenarios of the same shape in `tests/bench/scenarios/`.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { fork } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { setTimeout: sleep } = require('node:timers/promises');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS_DIR = path.join(__dirname, 'results');
const MYSQL_BENCH_DB = 'plein_bench';

// ---------------------------------------------------------------------------------------------
// Options

const DEFAULTS = {
  duration: 10,
  warmup: 2,
  rounds: 1,
  kudos: 10_000,
  users: 200,
  connections: 50,
  only: '',
  side: 'both',
  root: ROOT,
  scenarios: '',
  set: [],
  data: '',
};

function usage() {
  return [
    'Usage: node tests/bench/run.js [options]',
    '  --duration N      seconds measured per route (default 10)',
    '  --warmup N        seconds of warm-up load before each measured run (default 2)',
    '  --rounds N        alternate Plein and raw N times per pair; medians are reported (default 1)',
    '  --kudos N         kudos seeded (default 10000)',
    '  --users N         users seeded (default 200)',
    '  --connections N   concurrent connections (default 50)',
    '  --only a,b        only the pairs whose name contains one of these words',
    '  --side S          both (default), plein or raw: load one side only (for profiling, e.g.',
    '                    node --cpu-prof tests/bench/run.js --side plein --only kudos)',
    '  --root DIR        bench the built checkout in DIR instead of this one (default: this one)',
    '  --scenarios a,b   scenarios to add (plugins/<id>/bench/scenario.js, tests/bench/scenarios/*.js;',
    '                    default: all there are, "none" for none)',
    "  --set S.K=V       a scenario's seed option, e.g. --set wiki.revisions=1000 (repeatable)",
    '  --data DIR        keep the seeded database (SQLite: DIR/bench.sqlite; MySQL: database',
    '                    plein_bench_<DIR name>) and reuse it when run again with the same seed options',
    'DATABASE_URL=mysql://user:pass@host:3306/any runs on MySQL/MariaDB (database plein_bench).',
  ].join('\n');
}

function parseArgs(argv) {
  const opts = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !(m[1] in DEFAULTS)) throw new Error(`unknown argument "${arg}"\n${usage()}`);
    const value = m[2] !== undefined ? m[2] : argv[++i];
    if (value === undefined) throw new Error(`--${m[1]}: expected a value`);
    if (m[1] === 'only') {
      opts.only = value;
      continue;
    }
    if (m[1] === 'scenarios') {
      opts.scenarios = value;
      continue;
    }
    if (m[1] === 'set') {
      const kv = /^([a-z0-9-]+)\.([A-Za-z0-9]+)=(.+)$/.exec(value);
      if (!kv) throw new Error(`--set: expected scenario.option=value, found "${value}"`);
      opts.set.push({ scenario: kv[1], key: kv[2], value: Number.isNaN(Number(kv[3])) ? kv[3] : Number(kv[3]) });
      continue;
    }
    if (m[1] === 'root' || m[1] === 'data') {
      opts[m[1]] = path.resolve(value);
      continue;
    }
    if (m[1] === 'side') {
      if (!['both', 'plein', 'raw'].includes(value))
        throw new Error(`--side: expected both, plein or raw, found "${value}"`);
      opts.side = value;
      continue;
    }
    const n = Number(value);
    const min = m[1] === 'warmup' ? 0 : 1;
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${m[1]}: expected a whole number >= ${min}, found "${value}"`);
    opts[m[1]] = n;
  }
  if (opts.kudos < 1 || opts.users < 2) throw new Error('--kudos must be >= 1 and --users >= 2');
  return opts;
}

// ---------------------------------------------------------------------------------------------
// Database: which engine, and the raw driver the baseline uses

/** URL without its password, for messages. */
function redact(raw) {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return raw;
  }
}

/** What database the bench runs on; for MySQL the URL's database is always replaced by ours. */
function databaseTarget(tmpDir, kept) {
  const url = process.env.DATABASE_URL;
  if (!url || url.startsWith('sqlite:')) {
    const file = path.join(tmpDir, 'bench.sqlite');
    return { engine: 'sqlite', file, databaseUrl: `sqlite:${file}` };
  }
  if (!/^(mysql|mariadb):\/\//.test(url))
    throw new Error(`DATABASE_URL: expected sqlite:… or mysql://…, found "${redact(url)}"`);
  const u = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const database = kept
    ? `${MYSQL_BENCH_DB}_${path
        .basename(tmpDir)
        .toLowerCase()
        .replace(/[^a-z0-9_]/g, '_')
        .slice(0, 40)}`
    : MYSQL_BENCH_DB;
  u.pathname = `/${database}`;
  return {
    engine: 'mysql',
    database,
    databaseUrl: u.toString(),
    connection: {
      host: u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password || ''),
    },
  };
}

async function mysqlAdmin(target, sql) {
  const mysql = require('mysql2/promise');
  const conn = await mysql.createConnection({ ...target.connection });
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/**
 * The baseline's driver: `all(sql, params)` resolves to rows. Same driver as Plein (better-sqlite3
 * prepared statements, cached per SQL text; a mysql2 pool the size of Plein's), no ORM.
 */
function makeRawDb(target) {
  if (target.engine === 'sqlite') {
    const Database = require('better-sqlite3');
    const db = new Database(target.file, { readonly: true });
    const statements = new Map();
    return {
      engine: 'sqlite',
      all(sql, params = []) {
        let stmt = statements.get(sql);
        if (!stmt) {
          stmt = db.prepare(sql);
          statements.set(sql, stmt);
        }
        return Promise.resolve(stmt.all(...params));
      },
      /** SQLite gives DATETIME back as the text TypeORM stored: 'YYYY-MM-DD HH:MM:SS.SSS' in UTC. */
      toDate: (v) => new Date(v.replace(' ', 'T') + 'Z'),
      close: async () => db.close(),
    };
  }
  const mysql = require('mysql2/promise');
  const pool = mysql.createPool({
    ...target.connection,
    database: target.database,
    connectionLimit: 20, // what core's data source gives TypeORM's pool
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
  });
  return {
    engine: 'mysql',
    async all(sql, params = []) {
      const [rows] = await pool.query(sql, params);
      return rows;
    },
    toDate: (v) => v,
    close: () => pool.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// Seed

/** Small deterministic PRNG, so two runs seed the same shape. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How TypeORM stores a `datetime(3)` on both engines: UTC, 'YYYY-MM-DD HH:MM:SS.SSS'. */
function sqlDate(ms) {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

async function bulkInsert(manager, table, columns, rows, chunk = 500) {
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    await manager.query(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${part.map(() => tuple).join(', ')}`,
      part.flat(),
    );
  }
}

/** `count` people named bench<i>, members, created a minute apart (newest last). */
function benchUserRows(count, now = Date.now()) {
  const userRows = [];
  for (let i = 0; i < count; i++) {
    const at = sqlDate(now - (count - i) * 60_000);
    userRows.push([
      randomUUID(),
      `bench${i}@example.org`,
      `bench${i}`,
      `Bench Person ${i}`,
      null,
      'member',
      'active',
      at,
      at,
    ]);
  }
  return userRows;
}

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

/** Adds bench people until there are `count`; answers them all, oldest first, as { id, handle }. */
async function seedUsers(dataSource, count, onProgress = () => {}) {
  const existing = await dataSource.query(
    "SELECT id, handle FROM core_user WHERE handle LIKE 'bench%' ORDER BY created_at, handle",
  );
  if (existing.length < count) {
    const rows = benchUserRows(count).slice(existing.length);
    await dataSource.transaction(async (m) => {
      for (let i = 0; i < rows.length; i += 5000) {
        await bulkInsert(m, 'core_user', USER_COLUMNS, rows.slice(i, i + 5000));
        onProgress(existing.length + Math.min(i + 5000, rows.length), count);
      }
    });
  }
  return dataSource.query("SELECT id, handle FROM core_user WHERE handle LIKE 'bench%' ORDER BY created_at, handle");
}

async function seed(plein, { users, kudos }) {
  const random = prng(42);
  const now = Date.now();
  const userRows = benchUserRows(users, now);
  const phrases = [
    'for the review',
    'for covering my shift',
    'for the great demo',
    'for fixing the build',
    'for the coffee',
  ];
  const contentRows = [];
  const kudoRows = [];
  // Newest first is kudo 0; about one kudo every 90 s (10k kudos span ~10 days), never two at the
  // same ms. Kudos are content (core_content, DESIGN.md §5): 1 in 50 is hidden by a moderator and
  // 1 in 97 held for review, so the visibility join has something to keep out.
  let at = now;
  for (let i = 0; i < kudos; i++) {
    at -= 1 + Math.floor(random() * 180_000);
    const from = Math.floor(random() * users);
    let to = Math.floor(random() * (users - 1));
    if (to >= from) to++;
    const message = `Thank you ${phrases[i % phrases.length]}! (#${i})`;
    const status = i % 50 === 49 ? 'hidden' : i % 97 === 96 ? 'pending' : 'published';
    const contentId = randomUUID();
    const time = sqlDate(at);
    contentRows.push([
      contentId,
      'kudos.kudo',
      'kudos',
      null,
      userRows[from][0],
      status,
      null,
      message,
      message,
      null,
      time,
      time,
      null,
    ]);
    kudoRows.push([randomUUID(), userRows[from][0], userRows[to][0], message, contentId, time]);
  }
  const started = performance.now();
  await plein.db.dataSource.transaction(async (m) => {
    await bulkInsert(m, 'core_user', USER_COLUMNS, userRows);
    await bulkInsert(
      m,
      'core_content',
      [
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
      ],
      contentRows,
    );
    await bulkInsert(
      m,
      'kudos_kudo',
      ['id', 'from_user_id', 'to_user_id', 'message', 'content_id', 'created_at'],
      kudoRows,
    );
  });
  const ds = plein.db.dataSource;
  // InnoDB recomputes its statistics by itself after a bulk change, but in the background: do it
  // now, so the first seconds are not measured on plans made without them. SQLite keeps none
  // unless the application runs ANALYZE (Plein does not), so none are made there.
  if (ds.options.type === 'mysql') await ds.query('ANALYZE TABLE core_user, core_content, kudos_kudo');
  const [{ n }] = await ds.query('SELECT COUNT(*) AS n FROM kudos_kudo');
  if (Number(n) !== kudos) throw new Error(`seed: expected ${kudos} kudos, found ${n}`);
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// Pairs: Plein's route and the raw handler that does the same work

function encodeCursor(key) {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function parseLimit(value, fallback = 20) {
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw Object.assign(new Error('limit'), { status: 422 });
  return n;
}

/**
 * The baseline's SQL for the kudos list: the plan DESIGN.md §7 prescribes for a list, with only the
 * columns the answer needs. The page's rows by keyset on idx_kudos_kudo_created, visibility for
 * anonymous (what Contents.visibleTo(null) allows) as a correlated EXISTS so that both engines keep
 * walking that index and stop after the page; then the page's core_content rows (status,
 * updated_at) and its people, each in one `IN (…)`. Plein may send other or more queries for the
 * same answer: the report lists the ones it sent.
 */
const inList = (n) => new Array(n).fill('?').join(', ');
const SQL = {
  latestKudos:
    'SELECT k.id, k.from_user_id, k.to_user_id, k.message, k.content_id, k.created_at FROM kudos_kudo k ' +
    "WHERE EXISTS (SELECT 1 FROM core_content c WHERE c.id = k.content_id AND c.status = 'published' " +
    "AND (c.space_id IS NULL OR EXISTS (SELECT 1 FROM core_space s WHERE s.id = c.space_id AND s.visibility = 'public'))) " +
    'ORDER BY k.created_at DESC, k.id DESC LIMIT ?',
  contentByIds: (n) => `SELECT id, status, updated_at FROM core_content WHERE id IN (${inList(n)})`,
  usersByIds: (n) => `SELECT id, handle, display_name FROM core_user WHERE id IN (${inList(n)})`,
};

/** `rows` keyed by their id column, fetched with `sql(n)` for the distinct `ids`. */
async function byIds(db, sql, ids) {
  const unique = [...new Set(ids)];
  const map = new Map();
  if (unique.length) for (const row of await db.all(sql(unique.length), unique)) map.set(row.id, row);
  return map;
}

/**
 * name: label in the table; plein: Plein's path; raw: the baseline's path; handler(ctx, url): the
 * baseline's answer (an object, JSON-serialised). sameBody: the two answers must be byte-identical
 * (checked once before loading), so the baseline provably does the same work.
 */
const PAIRS = [
  {
    name: 'kudos list',
    plein: '/api/v1/kudos?limit=20',
    raw: '/kudos?limit=20',
    sameBody: true,
    async handler(ctx, url) {
      const take = parseLimit(url.searchParams.get('limit'));
      const rows = await ctx.db.all(SQL.latestKudos, [take + 1]);
      const page = rows.slice(0, take);
      const contents = await byIds(
        ctx.db,
        SQL.contentByIds,
        page.map((k) => k.content_id),
      );
      const users = await byIds(
        ctx.db,
        SQL.usersByIds,
        page.flatMap((k) => [k.from_user_id, k.to_user_id]),
      );
      const person = (id) => {
        const u = users.get(id);
        return u ? { id: u.id, handle: u.handle, displayName: u.display_name } : null;
      };
      const items = page.map((k) => {
        const content = contents.get(k.content_id);
        return {
          id: k.id,
          contentId: k.content_id,
          type: 'kudos.kudo',
          status: content.status,
          author: person(k.from_user_id),
          spaceId: null,
          from: person(k.from_user_id),
          to: person(k.to_user_id),
          message: k.message,
          createdAt: ctx.db.toDate(k.created_at).toISOString(),
          updatedAt: ctx.db.toDate(content.updated_at).toISOString(),
        };
      });
      const last = page[page.length - 1];
      return {
        items,
        nextCursor:
          rows.length > take && last
            ? encodeCursor({ createdAt: ctx.db.toDate(last.created_at).toISOString(), id: last.id })
            : null,
      };
    },
  },
  {
    name: 'health',
    plein: '/api/v1/health',
    raw: '/health',
    sameBody: true,
    async handler(ctx) {
      await ctx.db.all('SELECT 1');
      return {
        status: 'ok',
        database: ctx.db.engine,
        queue: ctx.queueKind,
        plugins: ctx.plugins.map((p) => ({ ...p })),
      };
    },
  },
];

/**
 * Scenarios: `plugins/<id>/bench/scenario.js` in the checkout, then core's own in
 * `tests/bench/scenarios/*.js` (core routes over a plugin's content; `core: true`, so their pair
 * names are not prefixed), each `{ name, plugin, defaults?, seed(ctx, opts), pairs(seeded) }`
 * (tests/bench/README.md). `--scenarios` picks some by name; `none` picks none.
 */
function loadScenarios(root, wanted) {
  if (wanted === 'none') return [];
  const dir = path.join(root, 'plugins');
  const coreDir = path.join(root, 'tests', 'bench', 'scenarios');
  const found = [
    ...(fs.existsSync(dir) ? fs.readdirSync(dir) : [])
      .map((id) => path.join(dir, id, 'bench', 'scenario.js'))
      .filter((file) => fs.existsSync(file))
      .map((file) => ({ file, ...require(file) })),
    ...(fs.existsSync(coreDir) ? fs.readdirSync(coreDir).sort() : [])
      .filter((name) => name.endsWith('.js'))
      .map((name) => path.join(coreDir, name))
      .map((file) => ({ file, core: true, ...require(file) })),
  ];
  if (!wanted) return found;
  const names = wanted
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
  for (const name of names)
    if (!found.some((s) => s.name === name))
      throw new Error(
        `--scenarios: no scenario "${name}" (there are: ${found.map((s) => s.name).join(', ') || 'none'})`,
      );
  return found.filter((s) => names.includes(s.name));
}

/**
 * The booted plugins' content types, for baselines that list content of any plugin: name →
 * `{ urlPattern, table, idColumn }`, where table is the plugin's table of its items (its
 * `itemTable`, else the name with the dot made an underscore; null when no such table has a
 * one-column primary key and a `content_id` column), the rule core's cross-plugin lists follow.
 */
function contentTypesOf(plein) {
  const types = new Map();
  for (const plugin of plein.registry.all())
    for (const type of plugin.definition.contentTypes || []) {
      const tableName = type.itemTable || type.name.replace(/\./g, '_');
      const meta = plein.db.dataSource.entityMetadatas.find((m) => m.tableName === tableName);
      const usable =
        meta && meta.primaryColumns.length === 1 && meta.columns.some((c) => c.databaseName === 'content_id');
      types.set(type.name, {
        urlPattern: type.urlPattern,
        table: usable ? meta.tableName : null,
        idColumn: usable ? meta.primaryColumns[0].databaseName : null,
      });
    }
  return types;
}

/** One line of progress on stderr, rewritten in place on a terminal. */
function progress(label, done, total) {
  const line = `bench: ${label}: ${fmt(done)} / ${fmt(total)}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
  else if (done >= total || done % Math.max(1, Math.ceil(total / 10)) === 0) console.error(line);
}

/** A JSON request to Plein as the given bearer token (seeding through the API where SQL would be fragile). */
async function apiAs(base, token) {
  return async (method, route, body) => {
    const res = await fetch(base + route, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}

function startRawServer(pairs, ctx) {
  const routes = new Map(pairs.map((p) => [new URL(p.raw, 'http://x').pathname, p]));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://raw');
    const pair = routes.get(url.pathname);
    if (!pair) {
      res.writeHead(404).end();
      return;
    }
    pair.handler(ctx, url, pair.asUser ?? null).then(
      (body) => {
        // A string is a page (HTML); anything else is JSON.
        const html = typeof body === 'string';
        const text = html ? body : JSON.stringify(body);
        res.writeHead(200, {
          'content-type': html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      (error) => {
        res.writeHead(error.status || 500, { 'content-type': 'text/plain' });
        res.end(String(error.message || error));
      },
    );
  });
  server.keepAliveTimeout = 72_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// ---------------------------------------------------------------------------------------------
// Load

const CHILD_FLAG = '--autocannon-child';

/**
 * Runs autocannon in a child process (this file with CHILD_FLAG), so the load generator neither
 * shares the servers' event loop nor counts in this process's CPU time.
 */
function autocannonInChild(options) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [CHILD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result = null;
    child.once('message', (message) => {
      result = message;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (result && result.error) reject(new Error(`autocannon: ${result.error}`));
      else if (result) resolve(result.result);
      else reject(new Error(`autocannon child exited with code ${code} and no result`));
    });
    child.send(options);
  });
}

function runChild() {
  process.once('message', (options) => {
    require('autocannon')(options).then(
      (r) =>
        process.send(
          {
            result: {
              errors: r.errors,
              timeouts: r.timeouts,
              non2xx: r.non2xx,
              '2xx': r['2xx'],
              statusCodeStats: r.statusCodeStats,
              requests: { average: r.requests.average, total: r.requests.total },
              latency: { p50: r.latency.p50, p99: r.latency.p99, average: r.latency.average },
              throughput: { average: r.throughput.average },
            },
          },
          () => process.exit(0),
        ),
      (error) => process.send({ error: String(error && error.message) }, () => process.exit(0)),
    );
  });
}

/**
 * Counts a server's requests in flight and its finished responses, so a run can wait until the
 * server has answered what autocannon sent before it stopped (a slow route may have seconds of
 * queued requests) and divide CPU time by the responses the server actually finished.
 */
function trackServer(server) {
  const tracker = { server, inflight: 0, finished: 0 };
  server.on('request', (_req, res) => {
    tracker.inflight++;
    res.once('close', () => {
      tracker.inflight--;
      if (res.writableFinished) tracker.finished++;
    });
  });
  return tracker;
}

/**
 * Waits until the server holds no request and no connection: requests still unread in the
 * sockets of a busy server count too, as their connections stay open until it reads them.
 */
async function drained(tracker, maxMs = 120_000) {
  const until = Date.now() + maxMs;
  const connections = () =>
    new Promise((resolve, reject) => tracker.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
  while (tracker.inflight > 0 || (await connections()) > 0) {
    if (Date.now() > until) throw new Error(`the server was still busy ${maxMs} ms after the load stopped`);
    await sleep(20);
  }
}

/**
 * One autocannon run against the server `tracker` watches. Besides req/s and latency (autocannon's),
 * `cpuUsPerReq` is this process's CPU time (user + system: the server under test, its GC and libuv
 * threads; not the load generator, not the database server) from the start of the run until the
 * server is idle again, per response it finished in that time; it moves less than req/s when other
 * work shares the machine.
 */
async function load(url, seconds, connections, tracker, { warmup = false, headers = {} } = {}) {
  await drained(tracker);
  const finished = tracker.finished;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await autocannonInChild({ url, connections, duration: seconds, timeout: 10, headers });
  const loadedMs = performance.now() - started;
  const loadedCpu = process.cpuUsage(cpu);
  await drained(tracker);
  const used = process.cpuUsage(cpu);
  const answered = tracker.finished - finished;
  const bad = result.errors + result.timeouts + result.non2xx;
  // A warm-up may end before a slow route answers once; a measured run may not.
  if (bad > 0 || (result['2xx'] === 0 && !warmup)) {
    const codes = Object.entries(result.statusCodeStats || {})
      .map(([code, s]) => `${code}×${s.count}`)
      .join(', ');
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx, ${result['2xx']} 2xx (status codes: ${codes || 'none'}). A bench of failures measures nothing.`,
    );
  }
  return {
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyAvg: result.latency.average,
    requests: result.requests.total,
    bytesPerSec: result.throughput.average,
    cpuUsPerReq: answered ? (used.user + used.system) / answered : null,
    // Share of one core this process used while loaded (~100 % when the server is the bottleneck).
    cpuPercent: (100 * (loadedCpu.user + loadedCpu.system)) / 1000 / loadedMs,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One side's runs as one row: the median of each figure; the runs themselves when several. */
function combine(runs) {
  if (runs.length === 0) return {};
  if (runs.length === 1) return runs[0];
  const row = {};
  for (const key of Object.keys(runs[0])) row[key] = median(runs.map((r) => r[key]));
  return { ...row, runs };
}

async function measure(url, tracker, opts, headers = {}) {
  if (opts.warmup > 0) await load(url, opts.warmup, opts.connections, tracker, { warmup: true, headers });
  await sleep(300);
  return load(url, opts.duration, opts.connections, tracker, { headers });
}

/** Fetches `url` while recording the SQL Plein sends (TypeORM's logger sees every query). */
async function fetchRecordingSql(url, dataSource, headers = {}) {
  const sql = [];
  const logger = dataSource.logger;
  dataSource.logger = {
    logQuery: (query) => sql.push(query),
    logQueryError: () => {},
    logQuerySlow: () => {},
    logSchemaBuild: () => {},
    logMigration: () => {},
    log: () => {},
  };
  try {
    const res = await fetch(url, { headers, redirect: 'manual' });
    return { res, text: await res.text(), sql };
  } finally {
    dataSource.logger = logger;
  }
}

/**
 * Before any load: both sides answer 200 and, with sameBody, byte-identical bodies (so the
 * baseline provably does the same work). Also records the SQL each side sends for one request.
 */
async function checkPair(pair, pleinBase, rawBase, plein, ctx) {
  const a = await fetchRecordingSql(pleinBase + pair.plein, plein.db.dataSource, pair.headers);
  const rawSql = [];
  const all = ctx.db.all;
  ctx.db.all = (sql, params) => (rawSql.push(sql), all.call(ctx.db, sql, params));
  let b;
  try {
    const res = await fetch(rawBase + pair.raw, { redirect: 'manual' });
    b = { res, text: await res.text() };
  } finally {
    ctx.db.all = all;
  }
  if (a.res.status !== 200 || b.res.status !== 200)
    throw new Error(
      `${pair.name}: expected 200 from both, found Plein ${a.res.status} (${a.text.slice(0, 200)}), raw ${b.res.status} (${b.text.slice(0, 200)})`,
    );
  for (const needle of pair.mustContain || []) {
    if (!a.text.includes(needle) || !b.text.includes(needle))
      throw new Error(
        `${pair.name}: both answers must contain ${JSON.stringify(needle)} (Plein: ${a.text.includes(needle)}, raw: ${b.text.includes(needle)})`,
      );
  }
  if (pair.sameBody && a.text !== b.text) {
    throw new Error(
      `${pair.name}: the raw baseline answers something else than Plein, so the comparison would be unfair. ` +
        `Plein's read path (SQL or answer shape) changed: update seed() and this pair in tests/bench/run.js.\n` +
        `  Plein: ${a.text.slice(0, 400)}\n  raw:   ${b.text.slice(0, 400)}`,
    );
  }
  return { responseBytes: Buffer.byteLength(a.text), sql: { plein: a.sql, raw: rawSql } };
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(n, digits = 0) {
  return typeof n === 'number' && Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '-';
}

function table(report) {
  const header = [
    'route',
    'Plein req/s',
    'p50 ms',
    'p99 ms',
    'raw req/s',
    'raw p50',
    'raw p99',
    'Plein/raw',
    'Plein CPU µs/req',
    'raw CPU µs/req',
    'SQL/req Plein/raw',
  ];
  const rows = report.results.map((r) => [
    r.route,
    fmt(r.plein.reqPerSec),
    fmt(r.plein.p50, 1),
    fmt(r.plein.p99, 1),
    fmt(r.raw.reqPerSec),
    fmt(r.raw.p50, 1),
    fmt(r.raw.p99, 1),
    fmt(r.ratio, 2),
    fmt(r.plein.cpuUsPerReq),
    fmt(r.raw.cpuUsPerReq),
    `${r.sql.plein.length}/${r.sql.raw.length}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `Plein bench${report.commit ? ` (${report.commit})` : ''}: engine ${report.engine}, Node ${report.node}, ${fmt(report.kudos)} kudos, ${fmt(report.users)} users, ` +
      `${report.connections} connections, ${report.duration} s measured after ${report.warmup} s warm-up` +
      `${report.rounds > 1 ? `, medians of ${report.rounds} alternating rounds` : ''}, ${report.cpus} CPUs`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    'CPU µs/req: CPU time of this process (the servers; not autocannon, not the database server) per request.',
    'SQL/req: queries each side sent for one request (the JSON lists them).',
    `Load average at the start: ${report.loadavg.map((l) => l.toFixed(2)).join(' ')} (other work on the machine lowers req/s).`,
  ].join('\n');
}

/** The checkout's commit, with "+dirty" when it has uncommitted changes; null outside git. */
function gitCommit(root) {
  try {
    const { execFileSync } = require('node:child_process');
    const run = (args) =>
      execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    return (
      run(['rev-parse', '--short', 'HEAD']) + (run(['status', '--porcelain', '--untracked-files=no']) ? '+dirty' : '')
    );
  } catch {
    return null;
  }
}

function writeResults(report) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const file = path.join(RESULTS_DIR, `${report.engine}-${stamp}.json`);
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const scenarios = loadScenarios(opts.root, opts.scenarios);
  for (const set of opts.set)
    if (!scenarios.some((s) => s.name === set.scenario))
      throw new Error(`--set ${set.scenario}.${set.key}: no scenario "${set.scenario}" in this run`);

  let core;
  try {
    core = require(path.join(opts.root, 'core', 'dist'));
  } catch (error) {
    throw new Error(
      `${opts.root}/core/dist does not load (${error.message}); run \`npm run build\` first (npm run bench does).`,
    );
  }

  const startLoad = os.loadavg();
  const tmpDir = opts.data || fs.mkdtempSync(path.join(os.tmpdir(), 'plein-bench-'));
  if (opts.data) fs.mkdirSync(opts.data, { recursive: true });
  const target = databaseTarget(tmpDir, Boolean(opts.data));
  // With --data, what was seeded there before (and with which options) is written down next to it.
  const keptFile = path.join(tmpDir, 'seeded.json');
  const kept = opts.data && fs.existsSync(keptFile) ? JSON.parse(fs.readFileSync(keptFile, 'utf8')) : null;
  const base = { engine: target.engine, users: opts.users, kudos: opts.kudos };
  if (kept && JSON.stringify(kept.base) !== JSON.stringify(base))
    throw new Error(
      `--data ${opts.data}: seeded with ${JSON.stringify(kept.base)}, not ${JSON.stringify(base)}; use another folder`,
    );
  const keep = (seeded) =>
    opts.data && fs.writeFileSync(keptFile, `${JSON.stringify({ base, scenarios: seeded }, null, 2)}\n`);
  const cleanups = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        console.error(`bench cleanup: ${error.message}`);
      }
    }
  };
  if (!process.env.PLEIN_BENCH_KEEP && !opts.data)
    cleanups.push(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

  try {
    if (target.engine === 'mysql' && !kept) {
      await mysqlAdmin(target, `DROP DATABASE IF EXISTS \`${target.database}\``);
      if (!opts.data) cleanups.push(() => mysqlAdmin(target, `DROP DATABASE IF EXISTS \`${target.database}\``));
    }
    console.error(`bench: booting Plein on ${target.engine === 'mysql' ? redact(target.databaseUrl) : target.file}`);
    // Each plugin once: a core scenario may boot a plugin that has a scenario of its own.
    const plugins = new Set(['@plein/example-kudos', ...scenarios.map((s) => s.plugin).filter(Boolean)]);
    const env = {
      PLEIN_DATA_DIR: tmpDir,
      PLEIN_PLUGINS: [...plugins].join(','),
      PLEIN_SECRET: 'bench-secret-not-for-production',
      DATABASE_URL: target.databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      PLEIN_WORKERS: '0',
      // The one setting a bench may want to turn: the search answer cache (0 benches searches uncached).
      ...(process.env.PLEIN_SEARCH_CACHE_ENTRIES !== undefined
        ? { PLEIN_SEARCH_CACHE_ENTRIES: process.env.PLEIN_SEARCH_CACHE_ENTRIES }
        : {}),
    };
    // cwd = the checkout, so '@plein/example-kudos' resolves from its node_modules (PLEIN_PLUGINS
    // overrides the plugin list of a plein.config.json there).
    // Default settings otherwise: Plein as installed (shared state read at most every 2 s).
    const config = core.loadConfig(env, {}, opts.root);
    const plein = await core.bootPlein({ config, listen: true, jobs: 'off', logger: ['error'] });
    cleanups.push(() => plein.close());

    if (kept) console.error(`bench: reusing the ${opts.users} users and ${opts.kudos} kudos seeded in ${opts.data}`);
    else {
      const seedMs = await seed(plein, opts);
      console.error(`bench: seeded ${opts.users} users and ${opts.kudos} kudos in ${fmt(seedMs)} ms`);
      keep({});
    }

    // Plugin scenarios seed after the people exist; an admin token lets them seed through the API.
    const pleinBase = `http://127.0.0.1:${plein.app.getHttpServer().address().port}`;
    const users = await plein.db.dataSource.query(
      "SELECT id, handle FROM core_user WHERE handle LIKE 'bench%' ORDER BY created_at",
    );
    const admin = users[0];
    await plein.db.dataSource.query("UPDATE core_user SET roles = 'admin' WHERE id = ?", [admin.id]);
    const tokens = new Map();
    const tokenFor = async (userId) => {
      if (!tokens.has(userId)) tokens.set(userId, (await plein.users.issueToken(userId, 'bench')).token);
      return tokens.get(userId);
    };
    const allPairs = [...PAIRS];
    const seeded = { ...(kept ? kept.scenarios : {}) };
    for (const scenario of scenarios) {
      const scenarioOpts = { ...(scenario.defaults || {}) };
      for (const set of opts.set) if (set.scenario === scenario.name) scenarioOpts[set.key] = set.value;
      const before = seeded[scenario.name];
      if (before && JSON.stringify(before.options) !== JSON.stringify(scenarioOpts))
        throw new Error(
          `--data ${opts.data}: ${scenario.name} was seeded with ${JSON.stringify(before.options)}, not ${JSON.stringify(scenarioOpts)}; use another folder`,
        );
      if (before) console.error(`bench: ${scenario.name}: reusing ${JSON.stringify(before.made)}`);
      const started = performance.now();
      const made = before
        ? before.made
        : await scenario.seed(
            {
              dataSource: plein.db.dataSource,
              engine: target.engine,
              bulkInsert,
              sqlDate,
              prng,
              randomUUID,
              progress: (label, done, total) => progress(`${scenario.name}: ${label}`, done, total),
              users,
              admin,
              api: await apiAs(pleinBase, await tokenFor(admin.id)),
            },
            scenarioOpts,
          );
      if (!before) {
        seeded[scenario.name] = { options: scenarioOpts, made, ms: Math.round(performance.now() - started) };
        keep(seeded);
        console.error(
          `bench: ${scenario.name}: seeded ${JSON.stringify(made)} in ${fmt(performance.now() - started)} ms`,
        );
      }
      for (const pair of scenario.pairs(made)) {
        const asUser = pair.as && pair.as !== 'anonymous' ? pair.as : null;
        allPairs.push({
          ...pair,
          name: scenario.core || pair.name.startsWith(scenario.name) ? pair.name : `${scenario.name} ${pair.name}`,
          sameBody: pair.sameBody !== false,
          asUser,
          headers: asUser ? { authorization: `Bearer ${await tokenFor(asUser)}` } : {},
        });
      }
    }
    const pairs = opts.only
      ? allPairs.filter((p) => opts.only.split(',').some((w) => w && p.name.includes(w.trim())))
      : allPairs;
    if (!pairs.length)
      throw new Error(`--only ${opts.only}: no pair matches (pairs: ${allPairs.map((p) => p.name).join(', ')})`);

    const db = makeRawDb(target);
    cleanups.push(() => db.close());
    const ctx = {
      db,
      queueKind: plein.jobs.backend.kind,
      plugins: plein.registry
        .all()
        .map((p) => ({ id: p.definition.id, version: p.definition.version, state: p.state })),
      contentTypes: contentTypesOf(plein),
    };
    const raw = await startRawServer(allPairs, ctx);
    cleanups.push(() => new Promise((resolve) => raw.close(() => resolve())));
    raw.unref();

    const rawBase = `http://127.0.0.1:${raw.address().port}`;

    const trackers = { plein: trackServer(plein.app.getHttpServer()), raw: trackServer(raw) };
    const checks = {};
    for (const pair of pairs) checks[pair.name] = await checkPair(pair, pleinBase, rawBase, plein, ctx);

    const results = [];
    for (const pair of pairs) {
      const sides = [
        ['plein', 'Plein', pleinBase + pair.plein, trackers.plein, pair.headers],
        ['raw', 'raw', rawBase + pair.raw, trackers.raw, {}],
      ].filter(([side]) => opts.side === 'both' || opts.side === side);
      const runs = { plein: [], raw: [] };
      const ratios = [];
      for (let round = 1; round <= opts.rounds; round++) {
        for (const [side, label, url, tracker, headers] of sides) {
          const of = opts.rounds > 1 ? ` (round ${round}/${opts.rounds})` : '';
          console.error(`bench: ${pair.name}: ${label} ${url.slice(url.indexOf('/', 8))}${of} …`);
          // Warm each side up before its first measured run only.
          runs[side].push(await measure(url, tracker, { ...opts, warmup: round === 1 ? opts.warmup : 0 }, headers));
          await sleep(500);
        }
        const [p, r] = [runs.plein[round - 1], runs.raw[round - 1]];
        if (p && r) ratios.push(p.reqPerSec / r.reqPerSec);
      }
      const p = combine(runs.plein);
      const r = combine(runs.raw);
      results.push({
        route: pair.name,
        ...checks[pair.name],
        plein: { path: pair.plein, ...p },
        raw: { path: pair.raw, ...r },
        ratio: ratios.length ? median(ratios) : null,
        ...(opts.rounds > 1 ? { ratios } : {}),
      });
    }

    const report = {
      engine: target.engine,
      node: process.version,
      kudos: opts.kudos,
      users: opts.users,
      scenarios: seeded,
      connections: opts.connections,
      duration: opts.duration,
      warmup: opts.warmup,
      rounds: opts.rounds,
      side: opts.side,
      root: opts.root,
      commit: gitCommit(opts.root),
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0] ? os.cpus()[0].model : null,
      loadavg: startLoad,
      date: new Date().toISOString(),
      results,
    };
    console.log(table(report));
    console.log(`\nwritten to ${path.relative(process.cwd(), writeResults(report))}`);
  } finally {
    await cleanup();
  }
}

module.exports = {
  PAIRS,
  SQL,
  seed,
  seedUsers,
  makeRawDb,
  startRawServer,
  trackServer,
  load,
  measure,
  loadScenarios,
  bulkInsert,
  sqlDate,
  prng,
  progress,
  apiAs,
};

if (require.main === module && process.argv[2] === CHILD_FLAG) {
  runChild();
} else if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`\nbench failed: ${error.stack || error.message || error}`);
      process.exit(1);
    },
  );
}
