import { performance } from 'node:perf_hooks';
import { ConflictException, NotFoundException } from '@nestjs/common';
import type { Clock } from '@plein/sdk';
import type { DatabaseService } from '../database/database.service';
import type { InstalledPlugin, PluginRegistry } from '../plugins/plugin-registry';
import { PluginSpacePolicyRow, SpacePluginRow, type SpacePolicy } from './space-plugins.entities';
import { SpaceRow } from './space.entities';

/** A plugin as a space sees it. */
export interface SpacePluginState {
  id: string;
  displayName: string;
  /** On site-wide (the plugin's own state); off here means off in every space. */
  siteEnabled: boolean;
  policy: SpacePolicy;
  /** Whether new spaces (and spaces that did not choose) have it on. */
  defaultEnabled: boolean;
  /** What the space chose, or null when it did not (the default applies). */
  choice: boolean | null;
  /** Whether the plugin is on in this space: on site-wide, and forced on, or chosen or defaulted on. */
  enabled: boolean;
  /** Whether the space's admins may change it: the site leaves it to the space. */
  spaceMayChange: boolean;
}

interface Cached<T> {
  value: T;
  at: number;
}

/**
 * Which plugins are on in which space. The choices and policies live in the database; each instance
 * keeps them for at most `ttlMs` (the plugin state poll interval) and forgets them at once when they
 * change through it, so a change made on one instance reaches the others within one poll.
 */
export class SpacePluginsService {
  private policyCache: Cached<Map<string, PluginSpacePolicyRow>> | null = null;
  private readonly choices = new Map<string, Cached<Map<string, boolean>>>();
  private offChoiceCache: Cached<Set<string>> | null = null;

  constructor(
    private readonly db: DatabaseService,
    private readonly registry: PluginRegistry,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** Whether `pluginId` is on in the space; core is always on. */
  async isEnabled(spaceId: string, pluginId: string): Promise<boolean> {
    if (pluginId === 'core') return true;
    if (!this.registry.isActive(pluginId)) return false;
    const policy = (await this.policyMap()).get(pluginId);
    return this.decide(policy, (await this.choiceMap(spaceId)).get(pluginId));
  }

  /**
   * Whether `pluginId` may be off in at least one space: the site forces it off or has it off by
   * default, or some space turned it off. False lets routes skip finding their space at all.
   */
  async offInSomeSpace(pluginId: string): Promise<boolean> {
    if (pluginId === 'core') return false;
    const policy = (await this.policyMap()).get(pluginId);
    if (policy?.policy === 'forced-on') return false;
    if (policy?.policy === 'forced-off' || policy?.defaultEnabled === false) return true;
    return (await this.offChoices()).has(pluginId);
  }

  /** Every installed plugin that did not fail, as the space sees it, by display name. */
  async list(spaceId: string): Promise<SpacePluginState[]> {
    const policies = await this.policyMap();
    const choices = await this.choiceMap(spaceId);
    return this.installed().map((p) => this.describe(p, policies.get(p.definition.id), choices.get(p.definition.id)));
  }

  async one(spaceId: string, pluginId: string): Promise<SpacePluginState> {
    const plugin = this.installed().find((p) => p.definition.id === pluginId);
    if (!plugin) throw new NotFoundException(`No plugin with the id '${pluginId}' is installed`);
    return this.describe(plugin, (await this.policyMap()).get(pluginId), (await this.choiceMap(spaceId)).get(pluginId));
  }

  /** The site's policy of each installed plugin. */
  async policies(): Promise<Map<string, { policy: SpacePolicy; defaultEnabled: boolean }>> {
    const rows = await this.policyMap();
    return new Map(
      this.installed().map((p) => [
        p.definition.id,
        {
          policy: rows.get(p.definition.id)?.policy ?? 'space-choice',
          defaultEnabled: rows.get(p.definition.id)?.defaultEnabled ?? true,
        },
      ]),
    );
  }

  /** A space admin's choice. 404 for an unknown plugin, 409 when the site decides or has the plugin off. */
  async choose(spaceId: string, pluginId: string, enabled: boolean, actorId: string | null): Promise<SpacePluginState> {
    const current = await this.one(spaceId, pluginId);
    if (!current.spaceMayChange)
      throw new ConflictException(
        `${current.displayName} is ${current.policy === 'forced-on' ? 'turned on' : 'turned off'} for every space by the site's administrators`,
      );
    if (enabled && !current.siteEnabled)
      throw new ConflictException(
        `${current.displayName} is turned off for the whole site: a site administrator turns it on first`,
      );
    await this.db.transaction(async (m) => {
      const values = { enabled, updatedAt: this.clock.now(), updatedBy: actorId };
      const updated = await m.update(SpacePluginRow, { spaceId, pluginId }, values);
      if (!updated.affected) await m.insert(SpacePluginRow, { spaceId, pluginId, ...values });
    });
    this.choices.delete(spaceId);
    this.offChoiceCache = null;
    return this.one(spaceId, pluginId);
  }

  /**
   * The site's policy for a plugin in spaces; `defaultEnabled` left out keeps the current default.
   * A new default is for new spaces: the spaces that exist and did not choose keep what they had,
   * written down as their choice.
   */
  async setPolicy(
    pluginId: string,
    policy: SpacePolicy,
    defaultEnabled: boolean | undefined,
    actorId: string | null,
  ): Promise<{ policy: SpacePolicy; defaultEnabled: boolean }> {
    if (!this.registry.get(pluginId)) throw new NotFoundException(`No plugin with the id '${pluginId}' is installed`);
    const saved = await this.db.transaction(async (m) => {
      const existing = await m.findOneBy(PluginSpacePolicyRow, { pluginId });
      const before = existing ? Boolean(existing.defaultEnabled) : true;
      const values = {
        policy,
        defaultEnabled: defaultEnabled ?? before,
        updatedAt: this.clock.now(),
        updatedBy: actorId,
      };
      if (values.defaultEnabled !== before) {
        const chosen = new Set((await m.findBy(SpacePluginRow, { pluginId })).map((r) => r.spaceId));
        const open = (await m.find(SpaceRow, { select: { id: true } })).filter((sp) => !chosen.has(sp.id));
        for (let i = 0; i < open.length; i += 500) {
          await m.insert(
            SpacePluginRow,
            open.slice(i, i + 500).map((sp) => ({
              spaceId: sp.id,
              pluginId,
              enabled: before,
              updatedAt: values.updatedAt,
              updatedBy: actorId,
            })),
          );
        }
      }
      if (existing) await m.update(PluginSpacePolicyRow, { pluginId }, values);
      else await m.insert(PluginSpacePolicyRow, { pluginId, ...values });
      return values;
    });
    this.forget();
    return { policy: saved.policy, defaultEnabled: saved.defaultEnabled };
  }

  /** Forgets what this instance keeps, so the next question reads the database. */
  forget(): void {
    this.policyCache = null;
    this.offChoiceCache = null;
    this.choices.clear();
  }

  private installed(): InstalledPlugin[] {
    return this.registry
      .all()
      .filter((p) => p.state !== 'failed')
      .sort((a, b) => a.definition.displayName.localeCompare(b.definition.displayName));
  }

  private describe(
    plugin: InstalledPlugin,
    policy: PluginSpacePolicyRow | undefined,
    choice: boolean | undefined,
  ): SpacePluginState {
    const id = plugin.definition.id;
    const siteEnabled = this.registry.isActive(id);
    return {
      id,
      displayName: plugin.definition.displayName,
      siteEnabled,
      policy: policy?.policy ?? 'space-choice',
      defaultEnabled: policy?.defaultEnabled ?? true,
      choice: choice ?? null,
      enabled: siteEnabled && this.decide(policy, choice),
      spaceMayChange: (policy?.policy ?? 'space-choice') === 'space-choice',
    };
  }

  private decide(policy: PluginSpacePolicyRow | undefined, choice: boolean | undefined): boolean {
    if (policy?.policy === 'forced-on') return true;
    if (policy?.policy === 'forced-off') return false;
    return choice ?? policy?.defaultEnabled ?? true;
  }

  private fresh<T>(entry: Cached<T> | null | undefined): entry is Cached<T> {
    return Boolean(entry) && this.ttlMs > 0 && performance.now() - entry!.at < this.ttlMs;
  }

  private async policyMap(): Promise<Map<string, PluginSpacePolicyRow>> {
    if (this.fresh(this.policyCache)) return this.policyCache.value;
    const rows = await this.db.repository(PluginSpacePolicyRow).find();
    const value = new Map(rows.map((r) => [r.pluginId, { ...r, defaultEnabled: Boolean(r.defaultEnabled) }]));
    this.policyCache = { value, at: performance.now() };
    return value;
  }

  /** The plugins some space chose to turn off. */
  private async offChoices(): Promise<Set<string>> {
    if (this.fresh(this.offChoiceCache)) return this.offChoiceCache.value;
    const rows = await this.db
      .repository(SpacePluginRow)
      .find({ select: { pluginId: true }, where: { enabled: false } });
    const value = new Set(rows.map((r) => r.pluginId));
    if (this.ttlMs > 0) this.offChoiceCache = { value, at: performance.now() };
    return value;
  }

  private async choiceMap(spaceId: string): Promise<Map<string, boolean>> {
    const cached = this.choices.get(spaceId);
    if (this.fresh(cached)) return cached.value;
    const rows = await this.db.repository(SpacePluginRow).findBy({ spaceId });
    const value = new Map(rows.map((r) => [r.pluginId, Boolean(r.enabled)]));
    if (this.ttlMs > 0) {
      // Bounded: a busy site with many spaces keeps only the recent ones.
      if (this.choices.size > 1000) this.choices.clear();
      this.choices.set(spaceId, { value, at: performance.now() });
    }
    return value;
  }
}
