import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import plein from './plein-eslint-plugin.cjs';

const REPOSITORY = path.resolve(__dirname, '../..');
// A fake repository root: its package.json declares workspaces, so the rule takes it as the root.
const FIXTURES = path.join(__dirname, 'fixtures');
const BAD = path.join(FIXTURES, 'plugins/bad/src');
const GOOD = path.join(FIXTURES, 'plugins/good/src');

const RULE = 'plein/dependency-rule';

function expected(plugin: string, specifier: string): string {
  return `Plugin '${plugin}' imports '${specifier}': plugins and examples may import only @plein/sdk, framework packages and their own files (DESIGN.md §1).`;
}

function lint(filename: string, code = readFileSync(filename, 'utf8'), options: unknown[] = []): Linter.LintMessage[] {
  const linter = new Linter({ cwd: FIXTURES });
  const config: Linter.Config = {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { plein },
    rules: { [RULE]: ['error', ...options] },
  };
  return linter.verify(code, [config], { filename });
}

/** Every message, parse errors included, so a fixture that stops parsing fails the test. */
function messagesOf(results: Linter.LintMessage[]): string[] {
  return results.map((result) => `${result.ruleId ?? 'parse error'}: ${result.message}`);
}

function violations(plugin: string, ...specifiers: string[]): string[] {
  return specifiers.map((specifier) => `${RULE}: ${expected(plugin, specifier)}`);
}

describe('plein/dependency-rule', () => {
  const badFixtures: Array<[title: string, file: string, specifiers: string[]]> = [
    ['rejects a plugin that imports @plein/core', 'imports-core.ts', ['@plein/core']],
    [
      'rejects a plugin that imports a subpath of @plein/core',
      'imports-core-subpath.ts',
      ['@plein/core/src/plugins/plugin-loader'],
    ],
    [
      'rejects a plugin that reaches into core/ by a relative path',
      'imports-core-by-relative-path.ts',
      ['../../../core/src/database/database.service'],
    ],
    [
      "rejects a plugin that imports another plugin's src by a relative path",
      'imports-another-plugin-src.ts',
      ['../../good/src/good.service'],
    ],
    [
      "rejects a plugin that imports an example's src by a relative path",
      'imports-an-example-src.ts',
      ['../../../examples/kudos/src/kudos.entity'],
    ],
    [
      "rejects a plugin that deep-imports another plugin package's src",
      'imports-plugin-package-internals.ts',
      ['@plein/plugin-forum/src/services/forum-topic.service'],
    ],
    [
      "rejects a plugin that deep-imports an example package's src",
      'imports-example-package-internals.ts',
      ['@plein/example-kudos/src/kudos.entity'],
    ],
    [
      'rejects a plugin that bypasses the @plein/sdk package entry with a relative path',
      'imports-sdk-by-relative-path.ts',
      ['../../../sdk/src/plugin'],
    ],
    ['rejects a plugin that re-exports from @plein/core', 're-exports-core.ts', ['@plein/core', '@plein/core/testing']],
    ['rejects a plugin that requires @plein/core', 'requires-core.ts', ['@plein/core']],
    ['rejects a plugin that imports @plein/core dynamically', 'imports-core-dynamically.ts', ['@plein/core']],
    [
      'rejects a plugin that imports only types from @plein/core',
      'imports-core-types.ts',
      ['@plein/core', '@plein/core', '@plein/core'],
    ],
  ];

  it.each(badFixtures)('%s', (_title, file, specifiers) => {
    expect(messagesOf(lint(path.join(BAD, file)))).toEqual(violations('bad', ...specifiers));
  });

  it("rejects a plugin that imports another plugin's src by an absolute path", () => {
    const file = path.join(BAD, 'imports-another-plugin-src-by-absolute-path.ts');
    const code = readFileSync(file, 'utf8').replace('<root>', FIXTURES);

    expect(messagesOf(lint(file, code))).toEqual(
      violations('bad', path.join(FIXTURES, 'plugins/good/src/good.service')),
    );
  });

  it('has an expectation for every bad fixture', () => {
    const covered = [...badFixtures.map(([, file]) => file), 'imports-another-plugin-src-by-absolute-path.ts'];

    expect(readdirSync(BAD).sort()).toEqual(covered.sort());
  });

  it('accepts @plein/sdk, @plein/sdk/testing, framework packages, package entries and the plugin its own files', () => {
    expect(messagesOf(lint(path.join(GOOD, 'ok.ts')))).toEqual([]);
  });

  it('rejects a test file of an example that imports @plein/core', () => {
    const file = path.join(FIXTURES, 'examples/kudos/test/kudos.e2e-spec.ts');

    expect(messagesOf(lint(file))).toEqual(violations('kudos', '@plein/core'));
  });

  it('leaves files outside plugins/ and examples/ alone', () => {
    const file = path.join(FIXTURES, 'core/src/main.ts');

    expect(messagesOf(lint(file, "import { bootstrap } from '@plein/core';\nexport { bootstrap };\n"))).toEqual([]);
  });

  it('takes the repository root from the root option when given', () => {
    const root = path.join(FIXTURES, 'elsewhere');
    const file = path.join(root, 'plugins/wiki/src/wiki.plugin.ts');
    const code = "import { Users } from '../../../core/src/users/users.service';\nexport { Users };\n";

    expect(messagesOf(lint(file, code, [{ root }]))).toEqual(
      violations('wiki', '../../../core/src/users/users.service'),
    );
    // Without the option the root is the fixture repository, where this file is not in a plugin.
    expect(messagesOf(lint(file, code))).toEqual([]);
  });
});

describe('eslint.config.mjs', () => {
  function lintInRepository(filePath: string, code: string): string[] {
    // eslint's package exports hide bin/; its package.json is exported and sits beside it.
    const eslint = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin/eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--format', 'json', '--stdin', '--stdin-filename', filePath], {
      cwd: REPOSITORY,
      input: code,
      encoding: 'utf8',
    });
    if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed: ${run.stderr}`);
    const [result] = JSON.parse(run.stdout) as Array<{ messages: Linter.LintMessage[] }>;
    return messagesOf(result.messages);
  }

  it('applies the rule to test files of examples', () => {
    const code =
      "import { createTestIntranet } from '@plein/sdk/testing';\nimport { bootstrap } from '@plein/core';\n\nexport const harness = [createTestIntranet, bootstrap];\n";

    expect(lintInRepository('examples/kudos/test/wiring.e2e-spec.ts', code)).toEqual(
      violations('kudos', '@plein/core'),
    );
  }, 30_000);

  it('applies the rule to plugin sources', () => {
    const code =
      "import { DatabaseService } from '../../../core/src/database/database.service';\n\nexport const database = DatabaseService;\n";

    expect(lintInRepository('plugins/wiring/src/wiring.service.ts', code)).toEqual(
      violations('wiring', '../../../core/src/database/database.service'),
    );
  }, 30_000);
});
