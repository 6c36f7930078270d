import { Injectable } from '@nestjs/common';
import { Clock, Database, Notifications, Spaces } from '@plein/sdk';
import { In } from 'typeorm';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { WikiWatch } from '../entities/wiki-watch.entity';
import { ancestorPaths } from './wiki-names';

/** The notification kind watchers receive (declared in the manifest's `notificationKinds`). */
export const PAGE_CHANGED = 'wiki.page.changed';

export type WatchMode = 'page' | 'subtree';

/** Watching a page, or a page and its descendants, and telling watchers when a page changes. */
@Injectable()
export class WikiWatchService {
  constructor(
    private readonly db: Database,
    private readonly notifications: Notifications,
    private readonly spaces: Spaces,
    private readonly clock: Clock,
  ) {}

  async mode(userId: string | null | undefined, pageId: string): Promise<WatchMode | null> {
    if (!userId) return null;
    const watch = await this.db.repository(WikiWatch).findOneBy({ userId, pageId });
    return watch ? (watch.subtree ? 'subtree' : 'page') : null;
  }

  async watch(userId: string, pageId: string, mode: WatchMode): Promise<void> {
    await this.db.transaction(async () => {
      const repo = this.db.repository(WikiWatch);
      const updated = await repo.update({ userId, pageId }, { subtree: mode === 'subtree' });
      if (!updated.affected)
        await repo.insert({ userId, pageId, subtree: mode === 'subtree', createdAt: this.clock.now() });
    });
  }

  async unwatch(userId: string, pageId: string): Promise<void> {
    await this.db.repository(WikiWatch).delete({ userId, pageId });
  }

  /**
   * Who should hear about a change to `page`: those watching it, and those watching an ancestor
   * with its subtree. In a private space, only its current members.
   */
  async watchersOf(page: Pick<WikiPage, 'id' | 'spaceKey' | 'path'>): Promise<string[]> {
    const ancestors = ancestorPaths(page.path);
    const ancestorIds = ancestors.length
      ? (
          await this.db
            .repository(WikiPage)
            .find({ select: { id: true }, where: { spaceKey: page.spaceKey, path: In(ancestors) } })
        ).map((p) => p.id)
      : [];
    const watches = await this.db
      .repository(WikiWatch)
      .find({
        where: [{ pageId: page.id }, ...(ancestorIds.length ? [{ pageId: In(ancestorIds), subtree: true }] : [])],
      });
    let users = [...new Set(watches.map((w) => w.userId))];
    if (users.length && page.spaceKey !== ORG_SPACE_KEY) {
      const space = await this.spaces.find(page.spaceKey);
      if (space?.visibility === 'private') {
        const members = new Set(await this.spaces.members(page.spaceKey));
        users = users.filter((u) => members.has(u));
      }
    }
    return users;
  }

  /**
   * Tells the watchers (but not the editor, nor those in `except`: the same save mentioned them and
   * they were told so) that a page changed, with a link to the diff.
   */
  async notifyChange(
    page: WikiPage,
    editor: { id: string; displayName?: string },
    previousRevision: number,
    except: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const recipients = (await this.watchersOf(page)).filter((u) => u !== editor.id && !except.has(u));
    if (!recipients.length) return;
    await this.notifications.notify(recipients, {
      kind: PAGE_CHANGED,
      title: `${editor.displayName ?? 'Someone'} changed “${page.title}”`,
      titleKey: 'wiki.notification.changed',
      params: { name: editor.displayName ?? 'Someone', title: page.title },
      url: `/wiki/p/${page.id}/diff?from=${previousRevision}&to=${page.revision}`,
      contentId: page.contentId,
    });
  }
}
