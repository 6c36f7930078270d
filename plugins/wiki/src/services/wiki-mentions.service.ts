import { Injectable, NotFoundException } from '@nestjs/common';
import { Contents, Database, extractMentions, Notifications, Permissions, type UserRef } from '@plein/sdk';
import { ORG_SPACE_KEY, type WikiPage } from '../entities/wiki-page.entity';
import { WikiRevision } from '../entities/wiki-revision.entity';
import { wikiPermissions } from '../permissions';

/** The notification kind people `@mentioned` in a page receive (declared in the manifest). */
export const PAGE_MENTIONED = 'wiki.page.mentioned';

/**
 * Tells people a page `@mentions` them, once per mention: when a published revision mentions
 * someone the previously published revision did not (a page created, an edit saved, a held page
 * or edit approved). Saving a page that already mentioned someone tells them nothing again. Only
 * people who may read the page hear of it (a private space's members, those `wiki.page.read` is
 * granted to), and never the person who wrote the revision.
 */
@Injectable()
export class WikiMentionsService {
  constructor(
    private readonly db: Database,
    private readonly contents: Contents,
    private readonly permissions: Permissions,
    private readonly notifications: Notifications,
  ) {}

  /** The text of the revision readers saw before this one (null: none was ever published). */
  async previouslyPublishedBody(page: Pick<WikiPage, 'id' | 'body' | 'revision' | 'publishedRevision'>) {
    if (page.publishedRevision === null) return null;
    if (page.publishedRevision === page.revision) return page.body;
    const revision = await this.db
      .repository(WikiRevision)
      .findOne({ select: { body: true }, where: { pageId: page.id, number: page.publishedRevision } });
    return revision?.body ?? null;
  }

  /**
   * Notifies those `mentioned` now whose handle `previousBody` did not mention; answers the ids of
   * the people told (so the same save does not also tell them "the page changed").
   */
  async notifyAdded(
    page: Pick<WikiPage, 'id' | 'contentId' | 'spaceKey' | 'title'>,
    url: string,
    mentioned: readonly UserRef[],
    previousBody: string | null,
    writer: { id: string; displayName?: string | null },
  ): Promise<Set<string>> {
    const before = new Set(previousBody === null ? [] : extractMentions(previousBody));
    const fresh = mentioned.filter((u) => u.id !== writer.id && !before.has(u.handle.toLowerCase()));
    const told = new Set<string>();
    for (const person of fresh) if (!told.has(person.id) && (await this.mayRead(person, page))) told.add(person.id);
    if (!told.size) return told;
    const name = writer.displayName ?? 'Someone';
    await this.notifications.notify([...told], {
      kind: PAGE_MENTIONED,
      title: `${name} mentioned you in “${page.title}”`,
      titleKey: 'wiki.notification.mentioned',
      params: { name, title: page.title },
      url,
      contentId: page.contentId,
    });
    return told;
  }

  /** Whether the person may read the page: it is visible to them (status, space) and reading is granted there. */
  private async mayRead(person: UserRef, page: Pick<WikiPage, 'contentId' | 'spaceKey'>): Promise<boolean> {
    try {
      const record = await this.contents.getVisible(person, page.contentId);
      if (record.status !== 'published') return false;
    } catch (error) {
      if (error instanceof NotFoundException) return false;
      throw error;
    }
    return this.permissions.can(person, wikiPermissions.read, {
      spaceId: page.spaceKey === ORG_SPACE_KEY ? null : page.spaceKey,
    });
  }
}
