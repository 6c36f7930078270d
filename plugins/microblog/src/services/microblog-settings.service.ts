import { Injectable } from '@nestjs/common';
import { Settings } from '@plein/sdk';
import type { MicroblogSettings } from '../settings';

/**
 * The microblog's settings (core stores them; the class in `settings.ts` validates them and holds
 * the defaults). One provider, so services and tests read and change them the same way.
 */
@Injectable()
export class MicroblogSettingsService {
  constructor(private readonly settings: Settings) {}

  get(): Promise<MicroblogSettings> {
    return this.settings.get<MicroblogSettings>();
  }

  update(values: Partial<MicroblogSettings>): Promise<MicroblogSettings> {
    return this.settings.update<MicroblogSettings>(values);
  }
}
