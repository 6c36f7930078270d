/**
 * One notification for one or more users.
 *
 * @example
 * ```ts
 * const n: NotificationInput = { kind: 'kudos.received', title: 'Ada thanked you', url: '/kudos/42' };
 * ```
 */
export interface NotificationInput {
  /** A kind the plugin declares in `notificationKinds`, e.g. `kudos.received`. */
  kind: string;
  /** What the person reads when `titleKey` is absent or has no message in their language. */
  title: string;
  /**
   * A key in the plugin's message catalogue (`locales/<lang>.json`): each recipient reads the
   * title in their own language, with `{name}` placeholders filled from `params`.
   */
  titleKey?: string;
  /** Values for the `{placeholders}` of `titleKey`. */
  params?: Record<string, string | number>;
  /** Where following the notification leads (a path on this intranet). */
  url: string;
  /** The content item it is about, if any; stored with the notification and listed with it. */
  contentId?: string | null;
}

/**
 * A kind of notification a plugin sends; users choose per kind: off, in-app, or e-mail (which
 * includes in-app).
 *
 * @example
 * ```ts
 * notificationKinds: [{ kind: 'kudos.received', label: 'Someone thanked me', defaultChannel: 'email' }]
 * ```
 */
export interface NotificationKind {
  /** `<pluginId>.<noun>.<verb>`, e.g. `kudos.received`. */
  kind: string;
  /** What people choose a channel for on their notification settings, e.g. `Someone thanked me`. */
  label: string;
  /** The channel of someone who has not chosen one (default `in-app`). */
  defaultChannel?: 'off' | 'in-app' | 'email';
}

/**
 * Tells people something happened: stored in-app, and e-mailed through the job queue to those
 * who chose e-mail for that kind.
 *
 * @example
 * ```ts
 * constructor(private readonly notifications: Notifications) {}
 * await this.notifications.notify([kudo.toUserId], { kind: 'kudos.received', title: `${from.displayName} thanked you`, url: '/kudos' });
 * ```
 */
export abstract class Notifications {
  /**
   * Notifies each user once; inside a transaction, after it commits.
   *
   * @example
   * ```ts
   * await notifications.notify(['42'], { kind: 'kudos.received', title: 'Thanks!', url: '/kudos' });
   * ```
   */
  abstract notify(userIds: readonly string[], notification: NotificationInput): Promise<void>;
}
