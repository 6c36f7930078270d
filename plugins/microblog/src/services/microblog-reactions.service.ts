import { Injectable } from '@nestjs/common';
import { Clock, Database, EventBus } from '@plein/sdk';
import { In } from 'typeorm';
import { MicroblogReaction } from '../entities/microblog-reaction.entity';
import { microblogReactionAdded } from '../events';
import { microblogPermissions } from '../permissions';
import { MicroblogAccessService, signedIn, type Viewer } from './microblog-access.service';
import { invalid, REACTIONS, reactionOf, type ReactionEmoji } from './post-text';

/** How a post's reactions are shown: each emoji someone used, how often, and whether by me. */
export interface ReactionSummary {
  emoji: string;
  count: number;
  mine: boolean;
}

const ORDER = new Map<string, number>(REACTIONS.map((r, i) => [r.emoji, i]));

/** Reactions: one of each emoji of the fixed set per person and post; adding twice changes nothing. */
@Injectable()
export class MicroblogReactionsService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly access: MicroblogAccessService,
  ) {}

  private emoji(value: unknown): ReactionEmoji {
    const emoji = reactionOf(value);
    if (!emoji) throw invalid('emoji', `must be one of ${REACTIONS.map((r) => r.emoji).join(' ')}`);
    return emoji;
  }

  /** Adds the viewer's reaction; true when it is new. */
  async react(viewer: Viewer, postId: string, value: unknown): Promise<boolean> {
    const user = signedIn(viewer);
    const { post, record } = await this.access.read(user, postId);
    await this.access.assertInSpace(user, microblogPermissions.react, post.spaceId);
    const emoji = this.emoji(value);
    if (record.status !== 'published') throw invalid('emoji', 'only published posts take reactions');
    return this.db.transaction(async () => {
      const repo = this.db.repository(MicroblogReaction);
      if (await repo.existsBy({ postId: post.id, userId: user.id, emoji })) return false;
      // Two taps at once: the primary key keeps one; the second insert is a no-op.
      await repo
        .createQueryBuilder()
        .insert()
        .into(MicroblogReaction)
        .values({ postId: post.id, userId: user.id, emoji, createdAt: this.clock.now() })
        .orIgnore()
        .execute();
      await this.events.publish(microblogReactionAdded, {
        postId: post.id,
        contentId: post.contentId,
        userId: user.id,
        emoji,
      });
      return true;
    });
  }

  async unreact(viewer: Viewer, postId: string, value: unknown): Promise<void> {
    const user = signedIn(viewer);
    const { post } = await this.access.read(user, postId);
    await this.access.assertInSpace(user, microblogPermissions.react, post.spaceId);
    const emoji = this.emoji(value);
    await this.db.repository(MicroblogReaction).delete({ postId: post.id, userId: user.id, emoji });
  }

  /** The reactions of many posts in two queries, each list in the fixed order of the set. */
  async summaries(postIds: readonly string[], viewerId: string | null): Promise<Map<string, ReactionSummary[]>> {
    const result = new Map<string, ReactionSummary[]>(postIds.map((id) => [id, []]));
    if (!postIds.length) return result;
    const repo = this.db.repository(MicroblogReaction);
    const counts: Array<{ postId: string; emoji: string; count: string | number }> = await repo
      .createQueryBuilder('r')
      .select('r.post_id', 'postId')
      .addSelect('r.emoji', 'emoji')
      .addSelect('COUNT(*)', 'count')
      .where('r.post_id IN (:...ids)', { ids: [...postIds] })
      .groupBy('r.post_id')
      .addGroupBy('r.emoji')
      .getRawMany();
    const mine = viewerId
      ? new Set(
          (
            await repo.find({
              select: { postId: true, emoji: true },
              where: { postId: In([...postIds]), userId: viewerId },
            })
          ).map((r) => `${r.postId} ${r.emoji}`),
        )
      : new Set<string>();
    for (const row of counts) {
      result
        .get(row.postId)
        ?.push({ emoji: row.emoji, count: Number(row.count), mine: mine.has(`${row.postId} ${row.emoji}`) });
    }
    for (const list of result.values()) list.sort((a, b) => (ORDER.get(a.emoji) ?? 99) - (ORDER.get(b.emoji) ?? 99));
    return result;
  }
}
