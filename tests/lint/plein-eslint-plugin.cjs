'use strict';

/**
 * Plein's local ESLint plugin. One rule, `plein/dependency-rule`, enforces the dependency rule of
 * DESIGN.md §1: code under `plugins/<name>/` and `examples/<name>/` may import only `@plein/sdk`
 * (and `@plein/sdk/testing`), the framework packages and its own files. It reports:
 *
 * - `@plein/core` and every `@plein/core/...` subpath;
 * - a deep import into another Plein package's internals (`@plein/plugin-forum/src/...`,
 *   `@plein/sdk/dist/...`); the package entry (`@plein/plugin-forum`) is allowed;
 * - a relative or absolute path that leaves the plugin's own folder: into `core/`, into another
 *   plugin's or example's folder, or anywhere else. A published plugin cannot reach outside its
 *   package, so such a path only works inside this repository.
 *
 * The repository root is the option `root` (absolute, or relative to ESLint's cwd) or else the
 * nearest ancestor of the linted file whose package.json declares `workspaces`.
 */

const fs = require('node:fs');
const path = require('node:path');

const PLUGIN_FOLDERS = ['plugins', 'examples'];
const INTERNAL_FOLDERS = ['src', 'dist'];

const rootByDirectory = new Map();

function declaresWorkspaces(directory) {
  const manifest = path.join(directory, 'package.json');
  if (!fs.existsSync(manifest)) return false;
  try {
    return Boolean(JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces);
  } catch {
    // A package.json that is being edited may not parse; it is not a workspace root for now.
    return false;
  }
}

function findRepositoryRoot(directory) {
  if (rootByDirectory.has(directory)) return rootByDirectory.get(directory);
  const parent = path.dirname(directory);
  let root;
  if (declaresWorkspaces(directory)) root = directory;
  else if (parent === directory) root = undefined;
  else root = findRepositoryRoot(parent);
  rootByDirectory.set(directory, root);
  return root;
}

/** `plugins/forum/src/x.ts` → `{ folder: 'plugins', name: 'forum', directory: '<root>/plugins/forum' }` */
function owningPlugin(root, filename) {
  const parts = path.relative(root, filename).split(path.sep);
  if (parts.length < 3 || !PLUGIN_FOLDERS.includes(parts[0])) return undefined;
  return { folder: parts[0], name: parts[1], directory: path.join(root, parts[0], parts[1]) };
}

function isInside(directory, target) {
  const relative = path.relative(directory, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** `@plein/plugin-forum/src/x` → `{ name: '@plein/plugin-forum', subpath: 'src/x' }` */
function pleinPackage(specifier) {
  const match = /^(@plein\/[^/]+)(?:\/(.*))?$/.exec(specifier);
  return match ? { name: match[1], subpath: match[2] ?? '' } : undefined;
}

function ownPackageName(plugin) {
  const manifest = path.join(plugin.directory, 'package.json');
  try {
    return JSON.parse(fs.readFileSync(manifest, 'utf8')).name;
  } catch {
    return `@plein/${plugin.folder === 'plugins' ? 'plugin' : 'example'}-${plugin.name}`;
  }
}

function violates(specifier, plugin, filename) {
  const pkg = pleinPackage(specifier);
  if (pkg) {
    if (pkg.name === '@plein/core') return true;
    const firstSegment = pkg.subpath.split('/')[0];
    return INTERNAL_FOLDERS.includes(firstSegment) && pkg.name !== ownPackageName(plugin);
  }
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const target = path.resolve(path.dirname(filename), specifier);
    return !isInside(plugin.directory, target);
  }
  return false;
}

function literalString(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return literalString(node.literal);
  return undefined;
}

const dependencyRule = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Plugins and examples import only @plein/sdk, framework packages and their own files (DESIGN.md §1)',
    },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' } },
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden:
        "Plugin '{{plugin}}' imports '{{specifier}}': plugins and examples may import only @plein/sdk, framework packages and their own files (DESIGN.md §1).",
    },
  },

  create(context) {
    const filename = path.resolve(context.cwd, context.filename);
    const configuredRoot = context.options[0]?.root;
    const root = configuredRoot
      ? path.resolve(context.cwd, configuredRoot)
      : (findRepositoryRoot(path.dirname(filename)) ?? context.cwd);
    const plugin = owningPlugin(root, filename);
    if (!plugin) return {};

    function check(sourceNode) {
      const specifier = literalString(sourceNode);
      if (specifier === undefined || !violates(specifier, plugin, filename)) return;
      context.report({ node: sourceNode, messageId: 'forbidden', data: { plugin: plugin.name, specifier } });
    }

    function isRequireCall(node) {
      return node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length > 0;
    }

    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      CallExpression: (node) => {
        if (isRequireCall(node)) check(node.arguments[0]);
      },
      TSImportEqualsDeclaration: (node) => {
        if (node.moduleReference.type === 'TSExternalModuleReference') check(node.moduleReference.expression);
      },
      // typescript-eslint 8 names the specifier `source`; older parsers only have `argument`.
      TSImportType: (node) => check('source' in node ? node.source : node.argument),
    };
  },
};

module.exports = {
  meta: { name: 'plein' },
  rules: { 'dependency-rule': dependencyRule },
};
