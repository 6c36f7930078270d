#!/usr/bin/env node
// `npm run test:services`: the e2e suites and tests/services/** against MySQL/MariaDB + Redis.
//
//   DATABASE_URL  default mysql://root@127.0.0.1:3306/plein_test
//   REDIS_URL     default redis://127.0.0.1:6379
//
// Extra arguments are forwarded to jest, e.g.
//   npm run test:services -- --json --outputFile=.tmp/services.json
//   npm run test:services -- forum          (only suites whose path matches "forum")
// If JEST_JSON_OUTPUT is set and no --outputFile is given, `--json --outputFile=$JEST_JSON_OUTPUT`
// is added. Exits with jest's exit code (1 when a service does not answer).
'use strict';

const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/plein_test';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
const CONNECT_TIMEOUT_MS = 3000;

process.env.DATABASE_URL = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
process.env.REDIS_URL = process.env.REDIS_URL || DEFAULT_REDIS_URL;

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

function target(raw, protocols, defaultPort) {
  let u;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`${redact(raw)} is not a valid URL`);
  }
  if (!protocols.includes(u.protocol)) {
    throw new Error(`${redact(raw)}: expected a ${protocols.join(' or ')} URL, found "${u.protocol}"`);
  }
  // new URL() keeps IPv6 hosts in brackets; net.connect wants them bare.
  const host = (u.hostname || '127.0.0.1').replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(u.port || defaultPort) };
}

function answers({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok, why) => {
      socket.destroy();
      resolve({ ok, why });
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done(false, `no answer within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once('connect', () => done(true));
    socket.once('error', (err) => done(false, err.code || err.message));
  });
}

const SERVICES = [
  {
    name: 'DATABASE_URL',
    kind: 'MySQL/MariaDB',
    url: process.env.DATABASE_URL,
    protocols: ['mysql:', 'mariadb:'],
    port: 3306,
    hint:
      'start MariaDB (e.g. `mysqld_safe --bind-address=127.0.0.1 --port=3306 &`, or `bash .ci/run --services-only`, ' +
      'which installs and starts it on Debian), or set DATABASE_URL to a running server; the user needs ' +
      'CREATE/DROP DATABASE rights because every test file gets its own database',
  },
  {
    name: 'REDIS_URL',
    kind: 'Redis',
    url: process.env.REDIS_URL,
    protocols: ['redis:', 'rediss:'],
    port: 6379,
    hint:
      "start Redis (e.g. `redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save ''`, or " +
      '`bash .ci/run --services-only`), or set REDIS_URL to a running server',
  },
];

async function main() {
  let missing = 0;
  for (const s of SERVICES) {
    let t;
    try {
      t = target(s.url, s.protocols, s.port);
    } catch (err) {
      console.error(`test:services: ${s.name}: ${err.message}`);
      missing++;
      continue;
    }
    const r = await answers(t);
    if (r.ok) {
      console.error(`test:services: ${s.kind} answers at ${redact(s.url)}`);
    } else {
      console.error(
        `test:services: ${s.kind} does not answer at ${redact(s.url)} (${t.host}:${t.port}: ${r.why}).\n` +
          `  To fix: ${s.hint}.`,
      );
      missing++;
    }
  }
  if (missing) process.exit(1);

  const forwarded = process.argv.slice(2);
  const jsonOut = process.env.JEST_JSON_OUTPUT;
  if (jsonOut && !forwarded.some((a) => a === '--outputFile' || a.startsWith('--outputFile='))) {
    forwarded.push('--json', `--outputFile=${jsonOut}`);
  }

  // Forwarded arguments come FIRST: jest's array options (--testMatch, --testPathIgnorePatterns)
  // swallow any following positional argument, so a path pattern after them would be lost.
  // --testPathIgnorePatterns on the command line REPLACES the root config's list (which ignores
  // tests/services for `npm test`).
  const args = [
    require.resolve('jest/bin/jest', { paths: [ROOT] }),
    ...forwarded,
    // The suites wait on MariaDB and Redis much of the time: two at a time (8 min instead of 11
    // on two cores; more workers made the database server the bottleneck).
    '--maxWorkers=2',
    '--testPathIgnorePatterns=/node_modules/',
    '--testPathIgnorePatterns=/dist/',
    '--testPathIgnorePatterns=/tests/lint/',
    '--testPathIgnorePatterns=/tests/browser/',
    '--testMatch=**/*.e2e-spec.ts',
    '--testMatch=**/tests/services/**/*.spec.ts',
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('error', (err) => {
    console.error(`test:services: cannot start jest: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

main().catch((err) => {
  console.error(`test:services: ${err.stack || err}`);
  process.exit(1);
});
