import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { InvalidInput, type Settings } from '@plein/sdk';
import { catalogueFiles, DEFAULT_LOCALE, readCatalogue } from '../i18n/i18n';
import { installedThemes, themeChain, type InstalledTheme, type ThemeChain } from './themes';
import type { ViewEngine } from './view-engine';

/** Core's own settings (the `core` row of core_setting): the theme an administrator chose, if any. */
interface CoreSettings {
  theme?: string | null;
}

/** An installed theme as the admin page offers it. */
export interface ThemeOption extends InstalledTheme {
  /** Whether it can be used: its parents are all there. */
  usable: boolean;
  /** Why it cannot be used, when it cannot. */
  problem: string | null;
}

/** The theme's own `theme.name` or `theme.description` in `locale` (else English), from its own catalogue only. */
export function themeText(dir: string, key: 'theme.name' | 'theme.description', locale: string): string | null {
  const files = catalogueFiles(join(dir, 'locales'));
  for (const candidate of [locale, DEFAULT_LOCALE]) {
    const file = files.get(candidate);
    if (!file) continue;
    try {
      const text = readCatalogue(file).get(key);
      if (text) return text;
    } catch {
      // An unreadable catalogue names nothing; `plein theme check` reports it.
    }
  }
  return null;
}

/**
 * Which theme renders the pages: the one an administrator chose (stored in the database, so every
 * instance uses the same), else the configured one (`PLEIN_THEME`, or `theme` in plein.config.json).
 * Every instance re-reads the choice every `statePollMs`, on the same beat as plugin state and
 * grants; the instance that took the change switches at once. A switch empties that instance's
 * anonymous page cache.
 */
export class ActiveTheme {
  private readonly logger = new Logger('Themes');
  private timer: NodeJS.Timeout | null = null;
  /** The last problem logged, so a poll does not repeat it every beat. */
  private lastProblem: string | null = null;

  constructor(
    private readonly views: ViewEngine,
    private readonly settings: Settings,
    private readonly root: string,
    /** The configured theme, used when no administrator has chosen one. */
    readonly configured: string,
    private readonly onSwitch: () => void = () => undefined,
  ) {}

  /** The name of the theme pages are rendered with now. */
  get name(): string {
    return this.views.theme.name;
  }

  /** The theme an administrator chose, or null when the configured one is used. */
  async chosen(): Promise<string | null> {
    const stored = (await this.settings.get<CoreSettings>()).theme;
    return typeof stored === 'string' && stored ? stored : null;
  }

  /** Every installed theme, the default first, each saying whether it can be used. */
  options(): ThemeOption[] {
    return installedThemes(this.root).map((theme) => {
      try {
        themeChain(theme.name, this.root);
        return { ...theme, usable: true, problem: null };
      } catch (error) {
        return { ...theme, usable: false, problem: (error as Error).message };
      }
    });
  }

  /** Reads the choice and switches to it if it changed. A chosen theme that cannot be found falls back to the configured one. */
  async load(): Promise<void> {
    const name = (await this.chosen()) ?? this.configured;
    let chain: ThemeChain;
    try {
      chain = themeChain(name, this.root);
      this.lastProblem = null;
    } catch (error) {
      if (name === this.configured) throw error;
      const problem = `the chosen theme cannot be used, so the configured theme '${this.configured}' is: ${(error as Error).message}`;
      if (problem !== this.lastProblem) this.logger.warn(problem);
      this.lastProblem = problem;
      chain = themeChain(this.configured, this.root);
    }
    if (this.views.use(chain)) this.onSwitch();
  }

  /**
   * Makes `name` the theme of every instance; `null` goes back to the configured theme. Refuses a
   * theme that is not installed or cannot be used, naming the field `theme`.
   */
  async choose(name: string | null): Promise<void> {
    if (name !== null) {
      const option = this.options().find((t) => t.name === name);
      if (!option) throw new InvalidInput([{ field: 'theme', message: `must be an installed theme (${this.options().map((t) => t.name).join(', ')})` }]);
      if (!option.usable) throw new InvalidInput([{ field: 'theme', message: option.problem ?? 'cannot be used' }]);
    }
    await this.settings.update<CoreSettings>({ theme: name });
    await this.load();
  }

  startPolling(pollMs: number): void {
    if (pollMs <= 0) return;
    this.timer = setInterval(() => void this.load().catch((error: Error) => this.logger.warn(`could not re-read the theme: ${error.message}`)), pollMs);
    this.timer.unref?.();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
