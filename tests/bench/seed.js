#!/usr/bin/env node
// `npm run seed:<scenario> -- [--users N] [--<option> N …]`: fills the configured database (the same
// DATABASE_URL / PLEIN_DATA_DIR / plein.config.json that `npm start` uses) with a plugin scenario's
// volume, for trying Plein at scale by hand or benching a long-lived database. The scenario's seed is
// the one `npm run bench` runs (plugins/<id>/bench/scenario.js); people are added as bench<i> members
// until there are --users of them.
//
//   npm run seed:wiki -- --revisions 10000
//   DATABASE_URL=mysql://root@127.0.0.1:3306/plein npm run seed:microblog -- --users 10000 --posts 1000000 --follows 200
'use strict';

const path = require('node:path');
const { seedUsers, loadScenarios, bulkInsert, sqlDate, prng, progress, apiAs } = require('./run');
const { randomUUID } = require('node:crypto');

const ROOT = path.resolve(__dirname, '..', '..');

function usage(names) {
  return [
    'Usage: node tests/bench/seed.js <scenario> [--users N] [--<option> VALUE …]',
    `  scenarios: ${names.join(', ') || 'none'}`,
    "  options: the scenario's seed options (its defaults: plugins/<id>/bench/scenario.js, tests/bench/scenarios/<name>.js)",
  ].join('\n');
}

async function main() {
  const scenarios = loadScenarios(ROOT, '');
  const [name, ...args] = process.argv.slice(2);
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) {
    console.error(
      name
        ? `seed: no scenario "${name}"\n${usage(scenarios.map((s) => s.name))}`
        : usage(scenarios.map((s) => s.name)),
    );
    process.exit(2);
  }
  const opts = { ...(scenario.defaults || {}) };
  let users = 200;
  for (let i = 0; i < args.length; i += 2) {
    const m = /^--([A-Za-z0-9]+)$/.exec(args[i]);
    const value = Number(args[i + 1]);
    if (!m || !Number.isInteger(value) || value < 0) {
      console.error(
        `seed: expected --option N, found "${args.slice(i, i + 2).join(' ')}"\n${usage(scenarios.map((s) => s.name))}`,
      );
      process.exit(2);
    }
    if (m[1] === 'users') users = value;
    else opts[m[1]] = value;
  }

  const core = require(path.join(ROOT, 'core', 'dist'));
  const config = core.loadConfig({ ...process.env, PORT: '0', HOST: '127.0.0.1' }, {}, ROOT);
  if (!config.plugins.some((p) => p === scenario.plugin || p.endsWith(`/${scenario.name}`)))
    config.plugins.push(scenario.plugin);
  const plein = await core.bootPlein({ config, listen: true, jobs: 'off', logger: ['error'] });
  try {
    const people = await seedUsers(plein.db.dataSource, users, (done, total) => progress('people', done, total));
    const admin = people[0];
    await plein.db.dataSource.query("UPDATE core_user SET roles = 'admin' WHERE id = ?", [admin.id]);
    const { token } = await plein.users.issueToken(admin.id, 'seed');
    const base = `http://127.0.0.1:${plein.app.getHttpServer().address().port}`;
    const started = performance.now();
    const made = await scenario.seed(
      {
        dataSource: plein.db.dataSource,
        engine: plein.db.engine,
        bulkInsert,
        sqlDate,
        prng,
        randomUUID,
        progress: (label, done, total) => progress(`${scenario.name}: ${label}`, done, total),
        users: people,
        admin,
        api: await apiAs(base, token),
      },
      opts,
    );
    console.log(
      `seeded ${scenario.name} ${JSON.stringify(opts)} in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(made)}`,
    );
  } finally {
    await plein.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`seed failed: ${error.stack || error.message || error}`);
    process.exit(1);
  },
);
