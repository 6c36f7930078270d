#!/usr/bin/env node
// `node plugins/forum/bench/seed-cli.js --topics 100000 --posts 2000000 [--users N] [--categories N]`:
// the forum's seed (scenario.js) against the configured database, through the repository's seed
// runner (`npm run seed:forum` is the same).
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runner = path.resolve(__dirname, '..', '..', '..', 'tests', 'bench', 'seed.js');
const result = spawnSync(process.execPath, [runner, 'forum', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
