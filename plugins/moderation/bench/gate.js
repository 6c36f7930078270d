#!/usr/bin/env node
// The moderation gate's cost per submission with 1,000 active rules.
//
//   npm run build && node plugins/moderation/bench/gate.js [--rules 1000] [--runs 5000]
//   DATABASE_URL=mysql://root@127.0.0.1:3306/plein_test node plugins/moderation/bench/gate.js
//
// Boots a test intranet (core, the kudos example, moderation) from the built packages, stores the
// rules (90 % watched words and phrases, some with a trailing *, some limited to a space or a
// sensitive period; 10 % regular expressions), then times ModerationGate.check on a typical post
// (about 600 characters) that matches no rule, and on one that a flag rule matches (which writes
// its queue item). Reports the median and the 99th percentile in microseconds. The first check
// (compiling the rules and starting the regex worker) is reported apart: it happens once per change
// of the rule set and instance.
'use strict';

const path = require('node:path');
const { randomUUID } = require('node:crypto');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

const RULES = option('rules', 1000);
const RUNS = option('runs', 5000);
const WARMUP = 500;

const TOPICS = [
  'layoff',
  'reorganisation',
  'salary',
  'bonus',
  'strike',
  'union',
  'merger',
  'budget',
  'tender',
  'audit',
];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function time(label, runs, fn) {
  const samples = [];
  let cpu = null;
  for (let i = 0; i < WARMUP + runs; i++) {
    if (i === WARMUP) cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    await fn(i);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    if (i >= WARMUP) samples.push(micros);
  }
  const used = process.cpuUsage(cpu);
  samples.sort((a, b) => a - b);
  const row = {
    case: label,
    runs,
    medianUs: +percentile(samples, 0.5).toFixed(1),
    p99Us: +percentile(samples, 0.99).toFixed(1),
    maxUs: +samples[samples.length - 1].toFixed(0),
    // CPU of this process (every thread) per check: steadier than wall time when the machine is busy.
    cpuUsPerCheck: +((used.user + used.system) / runs).toFixed(1),
  };
  console.log(JSON.stringify(row));
  return row;
}

async function main() {
  const root = path.resolve(__dirname, '..', '..', '..');
  const { createTestIntranet } = require(path.join(root, 'sdk', 'dist', 'testing'));
  const { Database, Contents } = require(path.join(root, 'sdk', 'dist'));
  const moderation = require(path.join(__dirname, '..', 'dist')).default;
  const kudos = require(path.join(root, 'examples', 'kudos', 'dist')).default;
  const { ModerationGate } = require(path.join(__dirname, '..', 'dist', 'services', 'moderation-gate.service'));
  const { ModerationRule } = require(path.join(__dirname, '..', 'dist', 'entities', 'moderation-rule.entity'));

  const intranet = await createTestIntranet({ plugins: [kudos, moderation] });
  try {
    const author = await intranet.createUser({ handle: 'author' });
    const admin = await intranet.createUser({ handle: 'admin', roles: ['admin'] });
    const space = (
      await admin.http
        .post('/api/v1/spaces')
        .send({ slug: 'bench', name: 'Bench', visibility: 'public', joinPolicy: 'open' })
    ).body;
    await admin.http
      .put(`/api/v1/moderation/spaces/${space.id}/settings`)
      .send({ premoderated: false, slowModeSeconds: 0 });

    const db = intranet.get(Database);
    const now = Date.now();
    const rules = [];
    for (let i = 0; i < RULES; i++) {
      const regex = process.env.BENCH_NO_REGEX ? false : i % 10 === 9;
      const topic = TOPICS[i % TOPICS.length];
      rules.push({
        id: randomUUID(),
        pattern: regex
          ? `${topic}-${i}-\\d{2,4}`
          : i % 7 === 0
            ? `${topic}w${i}*`
            : i % 11 === 0
              ? `${topic} plan ${i}`
              : `${topic}w${i}`,
        match: regex ? 'regex' : 'word',
        action: ['flag', 'hold', 'censor', 'reject'][i % 4],
        replacement: null,
        message: null,
        spaceId: i % 13 === 0 ? space.id : null,
        routeRole: null,
        activeFrom: i % 17 === 0 ? new Date(now - 86_400_000) : null,
        activeUntil: i % 17 === 0 ? new Date(now + 86_400_000) : null,
        enabled: true,
        note: null,
        createdBy: admin.user.id,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      });
    }
    rules.push({
      ...rules[0],
      id: randomUUID(),
      pattern: 'benchflag',
      match: 'word',
      action: 'flag',
      spaceId: null,
      activeFrom: null,
      activeUntil: null,
    });
    await db.transaction(async (m) => {
      for (let i = 0; i < rules.length; i += 200) await m.insert(ModerationRule, rules.slice(i, i + 200));
      await m.query('UPDATE moderation_state SET version = version + 1 WHERE name = ?', ['rules']);
    });

    const gate = intranet.get(ModerationGate);
    const text = [
      'Thanks to everyone who came to the planning session on Tuesday. We went through the roadmap for',
      'the next quarter, agreed on the release dates and split the work between the teams. The notes',
      'are in the wiki under Planning, with the list of open questions for the product owners. Please',
      'add what I forgot before Friday, and book a slot in the demo calendar if your team has something',
      'to show. Coffee and cake are on the third floor this week, courtesy of the facilities team, who',
      'also fixed the coffee machine at last. See you all at the retrospective next Monday.',
    ].join(' ');
    const input = (i, extra = '') => ({
      type: 'kudos.kudo',
      pluginId: 'kudos',
      authorId: author.user.id,
      spaceId: i % 2 ? space.id : null,
      title: null,
      text: text + extra,
      contentId: null,
      recordId: randomUUID(),
    });

    const compileStart = process.hrtime.bigint();
    const first = await gate.check(input(0));
    const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
    if (first.action !== 'publish')
      throw new Error(`expected the typical post to publish, found ${JSON.stringify(first)}`);
    console.log(
      JSON.stringify({
        engine: intranet.engine,
        rules: rules.length,
        firstCheckMs: +compileMs.toFixed(1),
        cores: require('node:os').cpus().length,
        loadAverage: require('node:os')
          .loadavg()
          .map((l) => +l.toFixed(2)),
      }),
    );

    const results = [];
    results.push(await time('no rule matches', RUNS, (i) => gate.check(input(i))));
    results.push(
      await time('a flag rule matches (queue item written)', Math.min(RUNS, 1000), (i) =>
        gate.check(input(i, ' benchflag')),
      ),
    );
    const goal = results[0].p99Us < 1000;
    console.log(JSON.stringify({ goal: 'p99 under 1 ms without a match', met: goal }));
    void Contents;
  } finally {
    await intranet.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
