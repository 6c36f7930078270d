import type { SignedInUser } from '@plein/sdk';
import { And, IsNull, LessThanOrEqual, MoreThan } from 'typeorm';
import { activityPermissions } from '../activity/activity-permissions';
import type { ActivityService } from '../activity/activity.service';
import { streamEntries, type StreamEntry } from '../activity/activity-view';
import type { ContentItems, ContentListRow } from '../activity/content-items';
import type { ContentsService } from '../content/contents.service';
import type { DatabaseService } from '../database/database.service';
import { NotificationRow } from '../notifications/notification.entities';
import type { PermissionsService } from '../permissions/permissions.service';

/** How many content items and notifications one digest lists; the rest are counted ("and 12 more"). */
export const DIGEST_ITEMS = 20;
export const DIGEST_NOTIFICATIONS = 10;

/** What one digest has to tell, newest first, with how many there were in all. */
export interface DigestContent {
  items: StreamEntry[];
  itemCount: number;
  notifications: NotificationRow[];
  notificationCount: number;
}

/**
 * What is new for one person between two instants: content published in the spaces they belong
 * to (not their own), and the notifications they have not read yet (replies, mentions and the
 * items they watch: plugins notify watchers). Content is read through the activity stream's
 * query, so what a digest lists is exactly what that person's stream would show.
 */
export class DigestCollector {
  constructor(
    private readonly db: DatabaseService,
    private readonly activity: ActivityService,
    private readonly items: ContentItems,
    private readonly contents: ContentsService,
    private readonly permissions: PermissionsService,
  ) {}

  async collect(user: SignedInUser, since: Date, until: Date): Promise<DigestContent> {
    const [content, notifications] = await Promise.all([this.content(user, since, until), this.notifications(user.id, since, until)]);
    return { ...content, ...notifications };
  }

  /**
   * The stream's query (visibility, status and switched-off plugins as there), narrowed to the
   * window, to spaces `user` is a member of, and to other people's content.
   */
  private async window(user: SignedInUser, since: Date, until: Date, limit: number) {
    const qb = await this.activity.query(user, {}, limit, null);
    return qb
      .andWhere('c.created_at > :digestSince AND c.created_at <= :digestUntil', { digestSince: since, digestUntil: until })
      .andWhere('v.author_id <> :digestUser', { digestUser: user.id })
      .andWhere("v.space_id IN (SELECT dm.space_id FROM core_membership dm WHERE dm.user_id = :digestUser AND dm.status = 'active')");
  }

  private async content(user: SignedInUser, since: Date, until: Date): Promise<Pick<DigestContent, 'items' | 'itemCount'>> {
    if (!(await this.permissions.can(user, activityPermissions.read))) return { items: [], itemCount: 0 };
    const rows = await (await this.window(user, since, until, DIGEST_ITEMS)).getRawMany<ContentListRow>();
    let itemCount = rows.length;
    if (rows.length === DIGEST_ITEMS) {
      const counted = await (await this.window(user, since, until, 1)).select('COUNT(*)', 'n').orderBy().limit(undefined).getRawOne<{ n: string | number }>();
      itemCount = Number(counted?.n ?? rows.length);
    }
    return { items: await streamEntries(this.db, this.contents, await this.items.present(rows)), itemCount };
  }

  private async notifications(userId: string, since: Date, until: Date): Promise<Pick<DigestContent, 'notifications' | 'notificationCount'>> {
    const where = { userId, readAt: IsNull(), createdAt: And(MoreThan(since), LessThanOrEqual(until)) };
    const repo = this.db.repository(NotificationRow);
    const notifications = await repo.find({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: DIGEST_NOTIFICATIONS });
    const notificationCount = notifications.length < DIGEST_NOTIFICATIONS ? notifications.length : await repo.countBy(where);
    return { notifications, notificationCount };
  }
}
