import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Notifications, Settings, type ContentRecord, type SignedInUser } from '@plein/sdk';
import type { ActorRole } from '../entities/moderation-log.entity';
import type { ModerationSettings } from '../settings';

/** How the person who acted is named to the people it concerns. */
export type ByKind = 'named' | 'admin' | 'moderator' | 'spaceModerator' | 'system';

const BY_ROLE: Record<ActorRole, ByKind> = {
  admin: 'admin',
  moderator: 'moderator',
  'space-moderator': 'spaceModerator',
  member: 'moderator',
  system: 'system',
};

let english: Record<string, string> | null = null;

/** The English catalogue (the fallback title of a notification); `src/` and `dist/` sit at the same depth. */
function englishCatalogue(): Record<string, string> {
  if (!english) {
    const flat: Record<string, string> = {};
    const walk = (value: unknown, prefix: string) => {
      if (typeof value === 'string') flat[prefix] = value;
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    };
    walk(JSON.parse(readFileSync(join(__dirname, '..', '..', 'locales', 'en.json'), 'utf8')), '');
    english = flat;
  }
  return english;
}

/** A catalogue message in English with `{name}` placeholders filled. */
export function inEnglish(key: string, params: Record<string, string | number> = {}): string {
  const message = englishCatalogue()[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** What a notification calls an item: its title, else the start of its excerpt. */
export function itemLabel(record: Pick<ContentRecord, 'title' | 'excerpt'> | null): string {
  const text = (record?.title || record?.excerpt || '').replace(/\s+/g, ' ').trim();
  return [...text].length > 60 ? `${[...text].slice(0, 59).join('')}…` : text || '…';
}

/**
 * Notifications of moderation, each in its recipient's language (the catalogue keys
 * `moderation.notify.*`): what happened, by whom (their role, or their name when the setting
 * `revealModeratorNames` is on) and why.
 */
@Injectable()
export class ModerationNotifier {
  constructor(
    private readonly notifications: Notifications,
    private readonly settings: Settings,
  ) {}

  /** The suffix of a message key for who acted. */
  async by(actor: SignedInUser | null, role: ActorRole): Promise<{ kind: ByKind; name: string }> {
    if (!actor || role === 'system') return { kind: 'system', name: '' };
    const { revealModeratorNames } = await this.settings.get<ModerationSettings>();
    return revealModeratorNames ? { kind: 'named', name: actor.displayName } : { kind: BY_ROLE[role], name: '' };
  }

  async send(
    userIds: readonly string[],
    kind: string,
    key: string,
    params: Record<string, string | number>,
    url: string,
    contentId: string | null = null,
  ): Promise<void> {
    if (!userIds.length) return;
    const values = Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 200) : v]),
    );
    await this.notifications.notify(userIds, {
      kind,
      title: inEnglish(key, values),
      titleKey: key,
      params: values,
      url,
      contentId,
    });
  }
}
