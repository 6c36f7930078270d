import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '../../..');
const BIN = join(REPO, 'core/dist/cli/main.js');

jest.setTimeout(60_000);

/**
 * `plein theme check` as CI and theme authors run it: the real command in a child process, from
 * the repository root, with the plugins of its plein.config.json.
 */
describe('plein theme check, the command', () => {
  const env = {
    ...process.env,
    PLEIN_CONFIG: join(REPO, 'plein.config.json'),
    PLEIN_PLUGINS: undefined,
    PLEIN_THEME: undefined,
  };
  const plein = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'theme', 'check', ...args], { cwd: REPO, env, encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it.each(['themes/default', 'themes/high-contrast'])('passes %s, the theme shipped with Plein (exit 0)', (dir) => {
    const result = plein(dir);
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: '' });
    expect(result.out).toMatch(new RegExp(`^${dir}: no problems — theme `));
  });

  it('exits 1 on a theme with errors, naming file, line and rule', () => {
    const result = plein('tests/fixtures/themes/broken-templates');
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "tests/fixtures/themes/broken-templates/layouts/main.hbs:5:7  error    T002 unknown-partial  Partial 'sidebar'",
    );
    expect(result.out).toContain(
      "tests/fixtures/themes/broken-templates/layouts/main.hbs:7:8  error    T003 unknown-helper  Helper 'shout'",
    );
    expect(result.out).toContain(
      'tests/fixtures/themes/broken-templates/core/login.hbs:3:6  error    T006 invalid-template',
    );
    expect(result.out).toMatch(/broken-templates: 5 errors, 3 warnings/);
  });

  it('prints the whole report as JSON with --json, even a long one through a pipe', () => {
    const result = plein('--json', 'tests/fixtures/themes/broken-locales');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as {
      theme: string;
      parents: string[];
      errors: number;
      warnings: number;
      problems: Array<{ code: string; file: string; line: number }>;
    };
    expect(report).toMatchObject({ theme: 'broken-locales', parents: ['default'], errors: 3 });
    expect(report.problems).toHaveLength(report.errors + report.warnings);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'T004',
        rule: 'invalid-locale',
        severity: 'error',
        file: 'tests/fixtures/themes/broken-locales/locales/en.json',
        line: 3,
        column: 33,
      }),
    );
    expect(new Set(report.problems.map((p) => p.code))).toEqual(new Set(['T004', 'T005', 'T010']));
  });

  it('exits 0 when there are warnings only, and prints them', () => {
    const result = plein('tests/fixtures/themes/warnings-only');
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'tests/fixtures/themes/warnings-only/plugins/nowhere/list.hbs  warning  T009 unknown-override',
    );
    expect(result.out).toContain(
      "tests/fixtures/themes/warnings-only/locales/en.json:2:3  warning  T010 unknown-locale-key  Message 'core.nav.sigin'",
    );
    expect(result.out).toMatch(/warnings-only: 0 errors, 2 warnings/);
  });

  it("accepts a theme's use of a helper and a partial that an enabled plugin declares, and refuses it otherwise", () => {
    const dir = 'tests/fixtures/themes/uses-plugin-helper';
    const withPlugin = spawnSync(process.execPath, [BIN, 'theme', 'check', dir], {
      cwd: REPO,
      env: { ...env, PLEIN_PLUGINS: './tests/fixtures/helper-plugin' },
      encoding: 'utf8',
    });
    expect({ code: withPlugin.status, err: withPlugin.stderr }).toEqual({ code: 0, err: '' });
    expect(withPlugin.stdout).toMatch(new RegExp(`^${dir}: no problems — .*plugins: badges$`, 'm'));
    const without = plein(dir);
    expect(without.code).toBe(1);
    expect(without.out).toContain(
      `${dir}/partials/member-card.hbs:3:5  error    T003 unknown-helper  Helper 'badges-count'`,
    );
    expect(without.out).toContain(
      `${dir}/partials/member-card.hbs:4:7  error    T002 unknown-partial  Partial 'badges/badge'`,
    );
  });

  it('exits 2 with the usage when the folder does not exist or is not given', () => {
    const missing = plein('themes/no-such-theme');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(
      'plein theme check: expected a theme folder, found no folder at themes/no-such-theme',
    );
    expect(missing.err).toContain('Usage: plein theme check [options] <dir>');
    const none = plein();
    expect(none.code).toBe(2);
    expect(none.err).toContain("missing required argument 'dir'");
  });

  it('runs every `plein theme check` docs/themes.md shows, with the exit status and the output it shows', () => {
    const doc = readFileSync(join(REPO, 'docs/themes.md'), 'utf8');
    // A block marked `<!-- docs-test: exits 1 -->` shows a check that fails.
    const blocks = [...doc.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({
      lang: m[1],
      text: m[2],
      fails: /<!-- docs-test: exits 1 -->\s*$/.test(doc.slice(0, m.index)),
    }));
    let ran = 0;
    blocks.forEach((block, i) => {
      // `npx plein theme check …`, perhaps after variables (`PLEIN_PLUGINS=… npx plein theme check …`).
      const commands =
        block.lang === 'sh'
          ? block.text.split('\n').filter((line) => /^(?:[A-Z_]+=\S+ )*npx plein theme check/.test(line))
          : [];
      if (!commands.length) return;
      let output = '';
      for (const command of commands) {
        const [vars, rest] = command.split('npx plein theme check');
        const args = rest.trim().split(/\s+/);
        const extra = Object.fromEntries(
          vars.trim()
            ? vars
                .trim()
                .split(/\s+/)
                .map((v) => v.split('=') as [string, string])
            : [],
        );
        const r = spawnSync(process.execPath, [BIN, 'theme', 'check', ...args], {
          cwd: REPO,
          env: { ...env, ...extra },
          encoding: 'utf8',
        });
        const result = { code: r.status, out: r.stdout };
        expect({ command, code: result.code }).toEqual({ command, code: block.fails ? 1 : 0 });
        output += result.out;
        ran++;
      }
      // The output block after the commands shows lines they print (some may be left out).
      const shown = blocks[i + 1]?.lang === '' ? blocks[i + 1].text.split('\n').filter(Boolean) : [];
      for (const line of shown) expect(output.split('\n')).toContain(line);
    });
    expect(ran).toBeGreaterThanOrEqual(4);
  });

  it('lists the rules in its help', () => {
    const help = plein('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('T001 missing-template');
    expect(help.out).toContain('T010 unknown-locale-key');
  });
});
