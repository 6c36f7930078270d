import { Inject, Injectable } from '@nestjs/common';
import type { SignedInUser, UserRef } from '@plein/sdk';
import { ContentsService } from '../content/contents.service';
import { DatabaseService } from '../database/database.service';
import { PermissionsService } from '../permissions/permissions.service';
import { activityPermissions } from './activity-permissions';
import { ActivityService } from './activity.service';
import type { ContentItem } from './content-items';

/**
 * A content item as a page shows it, inside the theme's content partial: `id`, `type` and
 * `contentId` are what the partial and the plugins filling its slots (a Report button) read.
 */
export interface StreamEntry {
  id: string;
  contentId: string;
  type: string;
  /** The content type's display name ("Wiki page"). */
  typeName: string;
  plugin: string;
  title: string | null;
  excerpt: string | null;
  url: string | null;
  author: UserRef;
  space: { slug: string; name: string } | null;
  createdAt: string;
}

/** Content items as page entries: type names, and the name and slug of each space (one query). */
export async function streamEntries(db: DatabaseService, contents: ContentsService, items: readonly ContentItem[]): Promise<StreamEntry[]> {
  const spaceIds = [...new Set(items.map((i) => i.spaceId).filter((id): id is string => id !== null))];
  const spaces = new Map(
    spaceIds.length
      ? (await db.select<{ id: string; slug: string; name: string }>(`SELECT id, slug, name FROM core_space WHERE id IN (${DatabaseService.placeholders(spaceIds.length)})`, spaceIds)).map((s) => [
          s.id,
          { slug: s.slug, name: s.name },
        ])
      : [],
  );
  return items.map((i) => ({
    id: i.id,
    contentId: i.contentId,
    type: i.type,
    typeName: contents.typeOf(i.type)?.displayName ?? i.type,
    plugin: i.plugin,
    title: i.title,
    excerpt: i.excerpt,
    url: i.url,
    author: i.author,
    space: i.spaceId ? (spaces.get(i.spaceId) ?? null) : null,
    createdAt: i.createdAt,
  }));
}

/** How many items the start page shows before "all activity". */
export const HOME_ITEMS = 10;

/**
 * The newest of the activity stream for the start page (`/`) of a signed-in person who may read
 * it, as `{ items, older }`; null for anyone else.
 */
@Injectable()
export class HomeActivity {
  constructor(
    @Inject(ActivityService) private readonly activity: ActivityService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(ContentsService) private readonly contents: ContentsService,
  ) {}

  async newest(user: SignedInUser | null): Promise<{ items: unknown[]; older: string | null } | null> {
    if (!user || !(await this.permissions.can(user, activityPermissions.read))) return null;
    const page = await this.activity.stream(user, {}, HOME_ITEMS);
    return {
      items: await streamEntries(this.db, this.contents, page.items),
      older: page.nextCursor ? `/activity?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    };
  }
}
