import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import {
  DOTTED_NAME_PATTERN,
  METADATA,
  PLUGIN_ID_PATTERN,
  SDK_VERSION,
  tablePrefix,
  type PluginDefinition,
} from '@plein/sdk';
import * as semver from 'semver';
import { getMetadataArgsStorage } from 'typeorm';
import type { DiscoveredPlugin } from './discovery';

/** One thing wrong with a plugin, said as: who, what was expected, what was found. */
export interface PluginProblem {
  pluginId: string;
  expected: string;
  found: string;
}

export function describeProblem(p: PluginProblem): string {
  return `Plugin '${p.pluginId}': expected ${p.expected}, found ${p.found}`;
}

export function requiredDependencies(definition: PluginDefinition): string[] {
  const deps = definition.dependsOn;
  if (!deps) return [];
  return Array.isArray(deps) ? deps : (deps.required ?? []);
}

export function optionalDependencies(definition: PluginDefinition): string[] {
  const deps = definition.dependsOn;
  return deps && !Array.isArray(deps) ? (deps.optional ?? []) : [];
}

/** Routes of a controller class: handler name → has a permission or @Public. */
export function unguardedRoutes(controller: Type): string[] {
  const classGuarded =
    Reflect.hasMetadata(METADATA.permission, controller) || Reflect.hasMetadata(METADATA.public, controller);
  const missing: string[] = [];
  const proto = controller.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    const handler = proto[name];
    if (name === 'constructor' || typeof handler !== 'function') continue;
    if (!Reflect.hasMetadata(PATH_METADATA, handler) || Reflect.getMetadata(METHOD_METADATA, handler) === undefined)
      continue;
    const guarded = Reflect.hasMetadata(METADATA.permission, handler) || Reflect.hasMetadata(METADATA.public, handler);
    if (!guarded && !classGuarded) missing.push(`${controller.name}.${name}`);
  }
  return missing;
}

function namesInNamespace(id: string, kind: string, names: string[], problems: PluginProblem[]): void {
  for (const name of names) {
    if (!name.startsWith(`${id}.`) || !DOTTED_NAME_PATTERN.test(name)) {
      problems.push({ pluginId: id, expected: `${kind} names of the form '${id}.<noun>.<verb>'`, found: `'${name}'` });
    }
  }
}

function checkOne(plugin: DiscoveredPlugin, ignoreSdkRange: string[]): PluginProblem[] {
  const d = plugin.definition;
  const id = d.id;
  const problems: PluginProblem[] = [];
  if (typeof id !== 'string' || !PLUGIN_ID_PATTERN.test(id)) {
    return [
      {
        pluginId: String(id),
        expected: `an id matching ${PLUGIN_ID_PATTERN} (from ${plugin.source})`,
        found: JSON.stringify(id),
      },
    ];
  }
  if (!semver.valid(d.version))
    problems.push({ pluginId: id, expected: 'a semver version such as 1.0.0', found: JSON.stringify(d.version) });
  if (!semver.validRange(d.sdk)) {
    problems.push({ pluginId: id, expected: "an sdk semver range such as '^1.0.0'", found: JSON.stringify(d.sdk) });
  } else if (!semver.satisfies(SDK_VERSION, d.sdk) && !ignoreSdkRange.includes(id)) {
    problems.push({
      pluginId: id,
      expected: `@plein/sdk ${d.sdk} (add '${id}' to ignoreSdkRange in plein.config.json to boot it anyway)`,
      found: `@plein/sdk ${SDK_VERSION}`,
    });
  }
  const prefix = tablePrefix(id);
  const tables = getMetadataArgsStorage().tables;
  for (const entity of d.entities ?? []) {
    const table = tables.find((t) => t.target === entity);
    const name = table?.name ?? (entity as { name?: string }).name ?? '?';
    if (!table)
      problems.push({
        pluginId: id,
        expected: `entities decorated with @Entity('${prefix}…')`,
        found: `${name} without @Entity`,
      });
    else if (!name.startsWith(prefix))
      problems.push({ pluginId: id, expected: `table names starting with '${prefix}'`, found: `'${name}'` });
  }
  namesInNamespace(
    id,
    'permission',
    (d.permissions ?? []).map((p) => p.name),
    problems,
  );
  namesInNamespace(
    id,
    'event',
    (d.events ?? []).map((e) => e.name),
    problems,
  );
  namesInNamespace(
    id,
    'job',
    (d.jobs ?? []).map((j) => j.name),
    problems,
  );
  for (const type of d.contentTypes ?? []) {
    if (!type.name.startsWith(`${id}.`))
      problems.push({ pluginId: id, expected: `content type names starting with '${id}.'`, found: `'${type.name}'` });
  }
  for (const folder of [d.views, d.assets]) {
    if (folder && !existsSync(resolve(plugin.root, folder))) {
      problems.push({
        pluginId: id,
        expected: `the folder '${folder}' in ${plugin.root}`,
        found: 'that it does not exist',
      });
    }
  }
  for (const [name, helper] of Object.entries(d.helpers ?? {})) {
    if (!name.startsWith(`${id}-`) || !/^[a-z][a-z0-9-]*$/.test(name) || typeof helper !== 'function') {
      problems.push({
        pluginId: id,
        expected: `helpers named '${id}-<name>' (lower case, digits and hyphens), each a function`,
        found: `'${name}'${typeof helper === 'function' ? '' : ` (${typeof helper})`}`,
      });
    }
  }
  for (const item of d.navigation ?? []) {
    if (
      item.spacePath !== undefined &&
      (typeof item.spacePath !== 'string' || !item.spacePath.startsWith('/') || !item.spacePath.includes(':space'))
    ) {
      problems.push({
        pluginId: id,
        expected:
          "a navigation spacePath from the site root with ':space' where the space's slug goes, such as '/kudos/spaces/:space'",
        found: JSON.stringify(item.spacePath),
      });
    }
  }
  for (const controller of [...(d.controllers ?? []), ...(d.pages ?? [])]) {
    for (const route of unguardedRoutes(controller)) {
      problems.push({
        pluginId: id,
        expected: `route ${route} to name a permission (@RequirePermission) or be @Public()`,
        found: 'neither',
      });
    }
  }
  return problems;
}

/** The outcome of phase 2: plugins that may boot, in dependency order, and those that may not. */
export interface ValidationResult {
  ordered: DiscoveredPlugin[];
  problems: PluginProblem[];
  /** Plugin id → problems, for every plugin that may not boot. */
  rejected: Map<string, PluginProblem[]>;
}

/**
 * Phase 2 of the boot: checks every plugin's manifest without running plugin code, and orders
 * the rest so each plugin comes after the plugins it depends on.
 */
export function validatePlugins(plugins: DiscoveredPlugin[], ignoreSdkRange: string[] = []): ValidationResult {
  const rejected = new Map<string, PluginProblem[]>();
  const reject = (id: string, problem: PluginProblem) => rejected.set(id, [...(rejected.get(id) ?? []), problem]);
  const byId = new Map<string, DiscoveredPlugin>();
  for (const plugin of plugins) {
    const id = plugin.definition.id;
    for (const problem of checkOne(plugin, ignoreSdkRange)) reject(problem.pluginId, problem);
    if (byId.has(id)) {
      reject(id, {
        pluginId: id,
        expected: 'each plugin id once',
        found: `'${id}' from both ${byId.get(id)!.source} and ${plugin.source}`,
      });
    } else {
      byId.set(id, plugin);
    }
  }
  for (const [id, plugin] of byId) {
    for (const dep of requiredDependencies(plugin.definition)) {
      if (!byId.has(dep))
        reject(id, { pluginId: id, expected: `the plugin '${dep}' it depends on`, found: 'that it is not installed' });
    }
  }
  // Kahn's algorithm; what is left over sits on a cycle.
  const remaining = new Map(
    [...byId].map(([id, p]) => [id, requiredDependencies(p.definition).filter((d) => byId.has(d))]),
  );
  const ordered: DiscoveredPlugin[] = [];
  while (remaining.size > 0) {
    const ready = [...remaining].filter(([, deps]) => deps.every((d) => !remaining.has(d)));
    if (ready.length === 0) {
      const cycle = [...remaining.keys()];
      for (const id of cycle) {
        reject(id, {
          pluginId: id,
          expected: 'dependencies without a cycle',
          found: `the cycle ${describeCycle(id, remaining)}`,
        });
      }
      break;
    }
    for (const [id] of ready) {
      remaining.delete(id);
      ordered.push(byId.get(id)!);
    }
  }
  // A plugin whose required dependency cannot boot cannot boot either.
  let changed = true;
  while (changed) {
    changed = false;
    for (const plugin of ordered) {
      const id = plugin.definition.id;
      if (rejected.has(id)) continue;
      const failedDep = requiredDependencies(plugin.definition).find((d) => rejected.has(d));
      if (failedDep) {
        reject(id, {
          pluginId: id,
          expected: `the plugin '${failedDep}' it depends on to boot`,
          found: `that '${failedDep}' was rejected`,
        });
        changed = true;
      }
    }
  }
  return {
    ordered: ordered.filter((p) => !rejected.has(p.definition.id)),
    problems: [...rejected.values()].flat(),
    rejected,
  };
}

function describeCycle(start: string, graph: Map<string, string[]>): string {
  const path = [start];
  let current = start;
  for (let i = 0; i <= graph.size; i++) {
    const next = (graph.get(current) ?? []).find((d) => graph.has(d));
    if (!next) break;
    path.push(next);
    if (next === start) break;
    current = next;
  }
  return path.join(' → ');
}
