import type { Type } from '@nestjs/common';
import { InvalidInput, Settings, type Clock } from '@plein/sdk';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { DatabaseService } from '../database/database.service';
import { SettingRow } from './setting.entity';

/** One plugin's settings: stored JSON over the defaults of its settings class. */
export class PluginSettings extends Settings {
  constructor(
    private readonly pluginId: string,
    private readonly shape: Type | undefined,
    private readonly db: DatabaseService,
    private readonly clock: Clock,
  ) {
    super();
  }

  private async stored(): Promise<Record<string, unknown>> {
    const row = await this.db.repository(SettingRow).findOneBy({ pluginId: this.pluginId });
    return row ? (JSON.parse(row.value) as Record<string, unknown>) : {};
  }

  async get<T extends object>(): Promise<T> {
    const defaults = this.shape ? (new this.shape() as Record<string, unknown>) : {};
    return { ...defaults, ...(await this.stored()) } as T;
  }

  async update<T extends object>(values: Partial<T>): Promise<T> {
    const merged = { ...(await this.get<Record<string, unknown>>()), ...values };
    if (this.shape) {
      const instance = plainToInstance(this.shape, merged) as object;
      const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
      if (errors.length > 0) {
        throw new InvalidInput(errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {}).join('; ') || 'is invalid' })));
      }
    }
    await this.db.transaction(async (m) => {
      const value = JSON.stringify(merged);
      const updated = await m.update(SettingRow, { pluginId: this.pluginId }, { value, updatedAt: this.clock.now() });
      if (!updated.affected) await m.insert(SettingRow, { pluginId: this.pluginId, value, updatedAt: this.clock.now() });
    });
    return merged as T;
  }
}
