// @ts-check
// One lint configuration for the whole repository (STYLE.md: "Prettier and ESLint configured once at
// the root"). `npm run lint` runs with --max-warnings 0, so every rule here is either an error or off.
import { createRequire } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const plein = require('./tests/lint/plein-eslint-plugin.cjs');

const TYPESCRIPT_FILES = ['sdk', 'core', 'plugins', 'examples', 'tests', 'themes'].map((folder) => `${folder}/**/*.ts`);

// Declared by hand: the `globals` package is only a transitive dependency of eslint here, and these
// node scripts use few globals.
const nodeGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  process: 'readonly',
  __dirname: 'readonly',
  __filename: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  URLSearchParams: 'readonly',
  AbortController: 'readonly',
  fetch: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  setImmediate: 'readonly',
  clearImmediate: 'readonly',
  structuredClone: 'readonly',
  performance: 'readonly',
};

export default defineConfig(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/',
      'coverage/',
      '.tmp/',
      'docs/sdk/',
      'tests/browser/artifacts/',
      // Linted only through the rule test, which expects them to break the rule.
      'tests/lint/fixtures/**',
      '**/*.d.ts',
      // Files core ships as templates (core/package.json `files`), not code of this build.
      'core/templates/**',
    ],
  },

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  js.configs.recommended,

  {
    files: TYPESCRIPT_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      // TypeORM takes entity and migration lists as `Function[]`, and Nest's own types use `Function`.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      // Definition lists in plugin manifests are heterogeneous (`EventDefinition<any>[]`,
      // `JobDefinition<any>[]`), as are Nest's and TypeORM's own generic signatures that core wraps.
      // `--max-warnings 0` leaves no middle ground between error and off; review `any` in code review.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  {
    files: ['plugins/**/*.ts', 'examples/**/*.ts'],
    plugins: { plein },
    rules: { 'plein/dependency-rule': 'error' },
  },

  // Plain JavaScript is node scripts: CommonJS for .js and .cjs, ES modules for .mjs.
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeGlobals },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
);
