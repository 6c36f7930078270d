import type { OutgoingMail } from '../notifications/mail.service';
import type { I18n } from '../i18n/i18n';
import { safeHref } from '../pages/page-kit';
import type { DigestContent } from './digest-content';
import type { DigestFrequency } from './digest-schedule';
import type { MailTemplates } from './mail-templates';

/** One person's digest to render: who, in which language, over which window, and what is in it. */
export interface DigestLetter {
  to: string;
  name: string;
  locale: string;
  frequency: Exclude<DigestFrequency, 'off'>;
  since: Date;
  content: DigestContent;
}

/**
 * Turns a digest's content into the e-mail: the theme's `mail/digest` templates in its mail
 * layout, HTML and plain text, with every link absolute (mail is read away from the site).
 */
export class DigestMail {
  constructor(
    private readonly templates: MailTemplates,
    private readonly i18n: I18n,
    private readonly publicUrl: () => string,
  ) {}

  /** `path` as an absolute http(s) link, or null when it is not a link this site would follow. */
  private absolute(path: string | null): string | null {
    const safe = safeHref(path);
    return safe ? new URL(safe, this.publicUrl()).toString() : null;
  }

  compose(letter: DigestLetter): OutgoingMail {
    const { content, locale } = letter;
    const count = content.itemCount + content.notificationCount;
    const title = this.i18n.t(locale, `core.digest.subject.${letter.frequency}`, { count });
    const groups = new Map<string, { name: string; url: string | null; items: object[] }>();
    for (const item of content.items) {
      const key = item.space?.slug ?? '';
      const group =
        groups.get(key) ??
        groups.set(key, { name: item.space?.name ?? this.i18n.t(locale, 'core.digest.noSpace'), url: item.space ? this.absolute(`/spaces/${encodeURIComponent(item.space.slug)}`) : null, items: [] }).get(key)!;
      group.items.push({
        title: item.title || item.excerpt || item.typeName,
        excerpt: item.title ? item.excerpt : null,
        // A display name passes through unchanged unless a catalogue translates it.
        typeName: this.i18n.t(locale, item.typeName),
        author: item.author.displayName || item.author.handle,
        url: this.absolute(item.url),
        createdAt: item.createdAt,
      });
    }
    const rendered = this.templates.render('digest', {
      locale,
      title,
      name: letter.name,
      frequency: letter.frequency,
      since: letter.since,
      groups: [...groups.values()],
      moreItems: content.itemCount - content.items.length,
      notifications: content.notifications.map((n) => ({ title: n.title, url: this.absolute(n.url), createdAt: n.createdAt })),
      moreNotifications: content.notificationCount - content.notifications.length,
      links: {
        home: this.absolute('/'),
        activity: this.absolute('/activity'),
        notifications: this.absolute('/notifications'),
        settings: this.absolute('/notifications/settings'),
      },
    });
    return { to: letter.to, subject: title, ...rendered };
  }
}
