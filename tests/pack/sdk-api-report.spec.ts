// The public surface of @plein/sdk is recorded in sdk/etc/sdk.api.md (and sdk-testing.api.md for
// `@plein/sdk/testing`), written by API Extractor from the built declarations in sdk/dist. This
// suite runs `api-extractor run` (not `--local`) for both entry points, which fails when the
// declarations no longer match the checked-in report: a change to what plugins can import is then
// a visible diff of the report in the same commit, made on purpose with `npm run api:update`.
//
// It reads sdk/dist, so it needs the build first; `npm test` builds in `pretest`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile, spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..', '..');
const SDK = path.join(ROOT, 'sdk');
// The package's `exports` hide bin/, so find it beside its package.json.
const API_EXTRACTOR = path.join(
  path.dirname(require.resolve('@microsoft/api-extractor/package.json', { paths: [ROOT] })),
  'bin',
  'api-extractor',
);

function run(config: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [API_EXTRACTOR, 'run', '--config', config],
      { cwd: SDK, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The checked-in report against the one API Extractor just wrote to sdk/temp/, as a diff. */
function reportDiff(report: string): string {
  const written = path.join(SDK, 'temp', path.basename(report));
  if (!fs.existsSync(written)) return '';
  const diff = spawnSync('git', ['diff', '--no-index', '--no-color', report, path.relative(ROOT, written)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return diff.stdout ?? '';
}

describe('API report of @plein/sdk', () => {
  beforeAll(() => {
    for (const declarations of ['dist/index.d.ts', 'dist/testing/index.d.ts']) {
      if (!fs.existsSync(path.join(SDK, declarations))) {
        throw new Error(
          `sdk/${declarations} is missing: run \`npm run build\` first (\`npm test\` does it in pretest)`,
        );
      }
    }
  });

  it.each([
    ['@plein/sdk', 'api-extractor.json', 'sdk/etc/sdk.api.md'],
    ['@plein/sdk/testing', 'api-extractor.testing.json', 'sdk/etc/sdk-testing.api.md'],
  ])(
    'the public surface of %s matches %s',
    async (_entry, config, report) => {
      expect(fs.existsSync(path.join(ROOT, report))).toBe(true);
      const { code, output } = await run(config);
      if (code !== 0) {
        throw new Error(
          [
            `api-extractor run --config sdk/${config} exited with ${code}.`,
            `If the public surface changed on purpose, run \`npm run api:update\`, review the diff of ${report},`,
            'commit it with the change and add a line to sdk/CHANGELOG.md (sdk/CHANGELOG.md says what is breaking).',
            '',
            output.trim(),
            '',
            reportDiff(report),
          ].join('\n'),
        );
      }
      expect(code).toBe(0);
    },
    180_000,
  );
});
