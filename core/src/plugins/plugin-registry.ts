import { Logger } from '@nestjs/common';
import type { Clock, NavigationItem, PluginContext, PluginDefinition } from '@plein/sdk';
import type { DatabaseService } from '../database/database.service';
import type { DiscoveredPlugin } from './discovery';
import { PluginStateRow } from './plugin-state.entity';

export type PluginState = 'enabled' | 'disabled' | 'failed';

/** A plugin as the running intranet knows it. */
export interface InstalledPlugin {
  definition: PluginDefinition;
  source: string;
  root: string;
  state: PluginState;
  /** Why the plugin failed, when it did. */
  reason: string | null;
}

export class UnknownPluginError extends Error {}

/**
 * Which plugins are installed and whether each is on. Enablement lives in the database and every
 * instance re-reads it every `pollMs`, so a plugin disabled through one instance goes off on all.
 */
export class PluginRegistry {
  private readonly logger = new Logger('Plugins');
  private readonly plugins = new Map<string, InstalledPlugin>();
  private readonly owners = new Map<Function, string>();
  private readonly contexts = new Map<string, PluginContext>();
  private readonly listeners: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private db: DatabaseService | null = null;

  constructor(private readonly clock: Clock) {}

  add(plugin: DiscoveredPlugin, state: PluginState, reason: string | null = null): void {
    this.plugins.set(plugin.definition.id, { ...plugin, state, reason });
    for (const controller of [...(plugin.definition.controllers ?? []), ...(plugin.definition.pages ?? [])]) {
      this.owners.set(controller, plugin.definition.id);
    }
  }

  markFailed(id: string, reason: string): void {
    const plugin = this.plugins.get(id);
    if (plugin) Object.assign(plugin, { state: 'failed', reason });
  }

  all(): InstalledPlugin[] {
    return [...this.plugins.values()];
  }

  get(id: string): InstalledPlugin | undefined {
    return this.plugins.get(id);
  }

  /** Core is always active; a plugin is active when it is installed, booted and enabled. */
  isActive = (id: string): boolean => id === 'core' || this.plugins.get(id)?.state === 'enabled';

  /** Keeps how a booted plugin's services are reached, for what core runs on its behalf (`@InSpace` finders). */
  setContext(id: string, context: PluginContext): void {
    this.contexts.set(id, context);
  }

  contextOf(id: string): PluginContext | undefined {
    return this.contexts.get(id);
  }

  /** The plugin that owns a controller class, or undefined for core's own. */
  ownerOf(controller: Function): string | undefined {
    return this.owners.get(controller);
  }

  navigation(): Array<NavigationItem & { pluginId: string }> {
    return this.all()
      .filter((p) => p.state === 'enabled')
      .flatMap((p) => (p.definition.navigation ?? []).map((n) => ({ ...n, pluginId: p.definition.id })));
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Reads the stored enablement; plugins without a stored row are enabled. */
  async load(db: DatabaseService): Promise<void> {
    this.db = db;
    const rows = await db.repository(PluginStateRow).find();
    const stored = new Map(rows.map((r) => [r.pluginId, r.enabled]));
    let changed = false;
    for (const plugin of this.plugins.values()) {
      if (plugin.state === 'failed') continue;
      const next: PluginState = stored.get(plugin.definition.id) === false ? 'disabled' : 'enabled';
      if (next !== plugin.state) {
        plugin.state = next;
        changed = true;
      }
    }
    if (changed) for (const listener of this.listeners) listener();
  }

  startPolling(pollMs: number): void {
    if (!this.db || pollMs <= 0) return;
    const db = this.db;
    this.timer = setInterval(() => {
      this.load(db).catch((error: Error) => this.logger.warn(`could not re-read plugin state: ${error.message}`));
    }, pollMs);
    this.timer.unref?.();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Turns a plugin on or off for every instance; returns the new state. */
  async setEnabled(
    db: DatabaseService,
    id: string,
    enabled: boolean,
    actorId: string | null,
  ): Promise<InstalledPlugin> {
    const plugin = this.plugins.get(id);
    if (!plugin) throw new UnknownPluginError(`Plugin '${id}': expected an installed plugin, found none with that id`);
    await db.transaction(async (m) => {
      const values = { enabled, updatedAt: this.clock.now(), updatedBy: actorId };
      const updated = await m.update(PluginStateRow, { pluginId: id }, values);
      if (!updated.affected) await m.insert(PluginStateRow, { pluginId: id, ...values });
    });
    await this.load(db);
    return plugin;
  }
}
