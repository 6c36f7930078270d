#!/usr/bin/env node
// `node plugins/moderation/bench/seed-cli.js --items 100000 [--users N]`: the moderation queue's seed
// (scenario.js) against the configured database, through the repository's seed runner
// (`npm run seed:moderation` is the same). Boot it with the kudos example enabled, so the seeded
// items have their kudos' addresses.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const runner = path.resolve(__dirname, '..', '..', '..', 'tests', 'bench', 'seed.js');
const result = spawnSync(process.execPath, [runner, 'moderation', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
