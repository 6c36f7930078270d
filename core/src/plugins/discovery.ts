import { dirname, isAbsolute, resolve } from 'node:path';
import { DEFINITION_KIND, type PluginDefinition } from '@plein/sdk';
import type { PleinConfig } from '../config/config';

/** A plugin found in the configuration, before validation. */
export interface DiscoveredPlugin {
  definition: PluginDefinition;
  /** What the configuration named: a package name, a path, or `(definition)`. */
  source: string;
  /** The package folder `views` and `assets` resolve against. */
  root: string;
}

export class PluginDiscoveryError extends Error {}

function isDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINITION_KIND] === 'plugin';
}

function load(entry: string, base: string): DiscoveredPlugin {
  const isPath = entry.startsWith('.') || isAbsolute(entry);
  const specifier = isPath ? resolve(base, entry) : entry;
  let exported: unknown;
  let entryFile: string;
  try {
    entryFile = require.resolve(specifier, { paths: [base] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(entryFile);
  } catch (error) {
    throw new PluginDiscoveryError(
      `Plugin '${entry}': expected an installed package or a path to one, found that it cannot be loaded (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const definition = (exported as { default?: unknown })?.default ?? exported;
  if (!isDefinition(definition)) {
    throw new PluginDiscoveryError(
      `Plugin '${entry}': expected its default export to be made by definePlugin() from @plein/sdk, found ${typeof definition === 'object' ? 'an object without the plugin brand' : typeof definition}`,
    );
  }
  return { definition, source: entry, root: definition.root ?? dirname(dirname(entryFile)) };
}

/**
 * Phase 1 of the boot: turns the configured plugin list into definitions. Importing a package
 * runs only its module body; controllers, providers and hooks are not run here.
 */
export function discoverPlugins(config: PleinConfig, extra: PluginDefinition[] = []): DiscoveredPlugin[] {
  const found = config.plugins.map((entry) => load(entry, config.root));
  for (const definition of extra) {
    found.push({ definition, source: '(definition)', root: definition.root ?? config.root });
  }
  return found;
}
