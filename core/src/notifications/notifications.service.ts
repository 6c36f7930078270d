import { randomUUID } from 'node:crypto';
import { defineJob, Notifications, type Clock, type NotificationInput, type NotificationKind } from '@plein/sdk';
import { In, IsNull } from 'typeorm';
import type { DatabaseService } from '../database/database.service';
import type { JobsService } from '../jobs/jobs.service';
import { UserRow } from '../users/user.entity';
import type { I18n } from '../i18n/i18n';
import type { MailService } from './mail.service';
import { NotificationPrefRow, NotificationRow } from './notification.entities';

export type Channel = 'off' | 'in-app' | 'email';

export const sendMailJob = defineJob<{ to: string; subject: string; text: string; html?: string }>('core.send-mail', {
  description: 'Send one e-mail',
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  concurrency: 2,
});

/** Notification kinds core sends itself. */
export const coreNotificationKinds: NotificationKind[] = [
  { kind: 'core.space.added', label: 'Someone added me to a space', defaultChannel: 'email' },
];

/** In-app notifications, and e-mail through the job queue for those who chose it. */
export class NotificationsService {
  private readonly kinds = new Map<string, NotificationKind & { pluginId: string }>();

  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly mail: MailService,
    private readonly baseUrl: () => string,
    private readonly i18n: () => I18n | null = () => null,
  ) {
    jobs.register({ queue: 'core', definition: sendMailJob as never, run: async (data) => void (await this.mail.send(data as never)) });
    this.declare('core', coreNotificationKinds);
  }

  declare(pluginId: string, kinds: readonly NotificationKind[]): void {
    for (const kind of kinds) this.kinds.set(kind.kind, { ...kind, pluginId });
  }

  listKinds(): Array<NotificationKind & { pluginId: string }> {
    return [...this.kinds.values()];
  }

  forPlugin(pluginId: string): Notifications {
    const notify = (userIds: readonly string[], n: NotificationInput) => this.notify(pluginId, userIds, n);
    return new (class extends Notifications {
      notify(userIds: readonly string[], n: NotificationInput): Promise<void> {
        return notify(userIds, n);
      }
    })();
  }

  async channels(userId: string): Promise<Map<string, Channel>> {
    const prefs = await this.db.repository(NotificationPrefRow).findBy({ userId });
    const stored = new Map(prefs.map((p) => [p.kind, p.channel]));
    return new Map([...this.kinds.keys()].map((k) => [k, stored.get(k) ?? this.kinds.get(k)!.defaultChannel ?? 'in-app']));
  }

  async setChannel(userId: string, kind: string, channel: Channel): Promise<void> {
    await this.db.transaction(async (m) => {
      const updated = await m.update(NotificationPrefRow, { userId, kind }, { channel });
      if (!updated.affected) await m.insert(NotificationPrefRow, { userId, kind, channel });
    });
  }

  async notify(pluginId: string, userIds: readonly string[], n: NotificationInput): Promise<void> {
    const kind = this.kinds.get(n.kind);
    if (!kind) throw new Error(`Plugin '${pluginId}': expected a notification kind declared in notificationKinds, found '${n.kind}'`);
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return;
    await this.db.transaction(async (m) => {
      const users = await m.findBy(UserRow, { id: In(ids), status: 'active' });
      const prefs = await m.findBy(NotificationPrefRow, { userId: In(ids), kind: n.kind });
      const chosen = new Map(prefs.map((p) => [p.userId, p.channel]));
      const now = this.clock.now();
      const i18n = this.i18n();
      for (const user of users) {
        const channel = chosen.get(user.id) ?? kind.defaultChannel ?? 'in-app';
        if (channel === 'off') continue;
        // Each person reads it in their own language (the catalogue's default when they chose none).
        const lang = user.locale ?? 'en';
        const title = (n.titleKey && i18n?.has(n.titleKey, lang) ? i18n.t(lang, n.titleKey, n.params ?? {}) : n.title).slice(0, 255);
        await m.insert(NotificationRow, { id: randomUUID(), userId: user.id, kind: n.kind, title, url: n.url.slice(0, 500), contentId: n.contentId ?? null, createdAt: now, readAt: null });
        if (channel === 'email') {
          const link = new URL(n.url, this.baseUrl()).toString();
          const settings = new URL('/notifications/settings', this.baseUrl()).toString();
          const footer = i18n ? i18n.t(lang, 'core.mail.notification.footer', { url: settings }) : `Change which e-mails you get at ${settings}`;
          await this.jobs.backend.enqueue('core', sendMailJob as never, {
            to: user.email,
            subject: title,
            text: `${title}\n\n${link}\n\n— ${footer}`,
            html: `<p>${escapeHtml(title)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>${escapeHtml(footer)}</p>`,
          });
        }
      }
    });
  }

  async list(userId: string, limit: number, before: { at: Date; id: string } | null): Promise<NotificationRow[]> {
    const qb = this.db.repository(NotificationRow).createQueryBuilder('n').where('n.user_id = :userId', { userId }).orderBy('n.created_at', 'DESC').addOrderBy('n.id', 'DESC').limit(limit);
    if (before) qb.andWhere('(n.created_at < :at OR (n.created_at = :at AND n.id < :id))', { at: before.at, id: before.id });
    return qb.getMany();
  }

  async unread(userId: string): Promise<number> {
    return this.db.repository(NotificationRow).countBy({ userId, readAt: IsNull() });
  }

  async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    const where = ids === 'all' ? { userId, readAt: IsNull() } : { userId, id: In(ids), readAt: IsNull() };
    return (await this.db.repository(NotificationRow).update(where, { readAt: this.clock.now() })).affected ?? 0;
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
