import { Injectable } from '@nestjs/common';
import { Database, Settings } from '@plein/sdk';
import type { ModerationSettings } from '../settings';

/** Version counters in `moderation_state`: a change bumps its counter in the changing transaction. */
export type Counter = 'rules' | 'settings';

/** A time as a raw statement takes it: SQLite stores TypeORM's UTC text, mysql2 (timezone Z) takes a Date. */
export function sqlTime(engine: 'sqlite' | 'mysql', date: Date): string | Date {
  return engine === 'sqlite' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}

/** A datetime column read by a raw statement: SQLite gives the UTC text TypeORM wrote, mysql2 a Date. */
export function readTime(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/**
 * What the gate reads on every submission, cheaply: the version counters in one raw read (TypeORM's
 * `find` cost ten times as much at the 99th percentile, from the garbage it makes), and the
 * settings cached per version. Settings change through this service only (the settings route and
 * page), which bumps the counter, so every instance reads them again on its next check.
 */
@Injectable()
export class ModerationConfig {
  private cached: { version: number; settings: ModerationSettings } | null = null;

  constructor(
    private readonly db: Database,
    private readonly store: Settings,
  ) {}

  async versions(): Promise<Record<Counter, number>> {
    const rows = (await this.db.manager().query('SELECT name, version FROM moderation_state')) as Array<{
      name: string;
      version: number | string;
    }>;
    const found = { rules: 0, settings: 0 };
    for (const row of rows) if (row.name === 'rules' || row.name === 'settings') found[row.name] = Number(row.version);
    return found;
  }

  /** Bumps a counter (its row is made by the migrations), in the current transaction if any. */
  async bump(counter: Counter): Promise<void> {
    await this.db.manager().query('UPDATE moderation_state SET version = version + 1 WHERE name = ?', [counter]);
  }

  /** The settings (cached for the given settings version, or read now without one). */
  async settings(version?: number): Promise<ModerationSettings> {
    const current = version ?? (await this.versions()).settings;
    if (this.cached?.version === current) return this.cached.settings;
    const settings = await this.store.get<ModerationSettings>();
    this.cached = { version: current, settings };
    return settings;
  }

  async update(change: Partial<ModerationSettings>): Promise<ModerationSettings> {
    return this.db.transaction(async () => {
      const saved = await this.store.update<ModerationSettings>(change);
      await this.bump('settings');
      return saved;
    });
  }
}
