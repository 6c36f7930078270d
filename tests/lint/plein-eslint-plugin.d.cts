import type { ESLint } from 'eslint';

declare const plein: ESLint.Plugin;
export = plein;
