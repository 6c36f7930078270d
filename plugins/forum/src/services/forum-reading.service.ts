import { Injectable } from '@nestjs/common';
import { Clock, Database } from '@plein/sdk';
import { ForumCategoryRead, ForumRead } from '../entities/forum-read.entity';
import { ForumWatch, type WatchLevel } from '../entities/forum-watch.entity';
import { isDuplicate } from './forum-names';

export const WATCH_LEVELS: readonly WatchLevel[] = ['watching', 'normal', 'muted'];

/** Watch levels and read positions: what each person follows and how far they have read. */
@Injectable()
export class ForumReadingService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async level(userId: string | null | undefined, topicId: string): Promise<WatchLevel | null> {
    if (!userId) return null;
    return (await this.db.repository(ForumWatch).findOneBy({ userId, topicId }))?.level ?? 'normal';
  }

  async setLevel(userId: string, topicId: string, level: WatchLevel): Promise<void> {
    await this.db.transaction(async () => {
      const repo = this.db.repository(ForumWatch);
      const now = this.clock.now();
      const updated = await repo.update({ userId, topicId }, { level, updatedAt: now });
      if (!updated.affected) await this.insertOr(repo.insert({ userId, topicId, level, updatedAt: now }));
    });
  }

  /** Watches a topic unless the person already chose a level for it. */
  async watchUnlessChosen(userId: string, topicId: string): Promise<void> {
    const repo = this.db.repository(ForumWatch);
    if (await repo.existsBy({ userId, topicId })) return;
    await this.insertOr(repo.insert({ userId, topicId, level: 'watching', updatedAt: this.clock.now() }));
  }

  async readPosition(userId: string | null | undefined, topicId: string): Promise<ForumRead | null> {
    if (!userId) return null;
    return this.db.repository(ForumRead).findOneBy({ userId, topicId });
  }

  /**
   * Records how far someone read. `forward` (reading a page, posting) never moves the mark back;
   * an explicit choice (the API's `PUT /topics/:id/read`) may.
   */
  async markRead(
    userId: string,
    topicId: string,
    post: { id: string; position: number },
    mode: 'forward' | 'exact' = 'forward',
  ): Promise<ForumRead> {
    return this.db.transaction(async () => {
      const repo = this.db.repository(ForumRead);
      const now = this.clock.now();
      const current = await repo.findOneBy({ userId, topicId });
      if (current) {
        if (mode === 'forward' && current.position >= post.position) return current;
        await repo.update({ userId, topicId }, { position: post.position, postId: post.id, updatedAt: now });
        return { ...current, position: post.position, postId: post.id, updatedAt: now };
      }
      const row: ForumRead = { userId, topicId, position: post.position, postId: post.id, updatedAt: now };
      await this.insertOr(repo.insert(row));
      return row;
    });
  }

  /** "Mark all read" in a category: activity until now no longer counts as unread. */
  async markCategoryRead(userId: string, categoryId: string): Promise<void> {
    await this.db.transaction(async () => {
      const repo = this.db.repository(ForumCategoryRead);
      const now = this.clock.now();
      const updated = await repo.update({ userId, categoryId }, { markedAt: now });
      if (!updated.affected) await this.insertOr(repo.insert({ userId, categoryId, markedAt: now }));
    });
  }

  /**
   * An insert that another request (a second tab) may have made first: its row stands, which is
   * what this one would have written a moment earlier.
   */
  private async insertOr(insert: Promise<unknown>): Promise<void> {
    try {
      await insert;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
    }
  }
}
