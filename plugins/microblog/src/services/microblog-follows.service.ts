import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Database, EventBus, Spaces, Users, type SpaceRef, type UserRef } from '@plein/sdk';
import { MicroblogFollow, type FollowTarget } from '../entities/microblog-follow.entity';
import { microblogFollowCreated } from '../events';
import { isId, MicroblogAccessService, signedIn, type Viewer } from './microblog-access.service';
import { invalid } from './post-text';

/** A person as their profile shows them: who they are and how they are connected. */
export interface Profile {
  user: UserRef;
  followers: number;
  following: number;
  /** Whether the viewer follows them (false for anonymous visitors and for oneself). */
  followedByMe: boolean;
  me: boolean;
}

/** Where a home timeline reads from: these authors, and these spaces. */
export interface TimelineSources {
  authors: string[];
  spaces: string[];
}

/** Following people and spaces, and what a home timeline is made of. */
@Injectable()
export class MicroblogFollowsService {
  constructor(
    private readonly db: Database,
    private readonly users: Users,
    private readonly spaces: Spaces,
    private readonly events: EventBus,
    private readonly clock: Clock,
    private readonly access: MicroblogAccessService,
  ) {}

  /** A person by id or handle; 404 when there is none. */
  async user(ref: string): Promise<UserRef> {
    const user =
      (isId(ref) ? await this.users.findById(ref) : null) ??
      (typeof ref === 'string' && ref.length <= 64 ? await this.users.findByHandle(ref) : null);
    if (!user) throw new NotFoundException(`No person with the id or handle '${ref}'`);
    return user;
  }

  async profile(viewer: Viewer, ref: string): Promise<Profile> {
    const user = await this.user(ref);
    const repo = this.db.repository(MicroblogFollow);
    const [followers, following, mine] = await Promise.all([
      repo.countBy({ targetType: 'user', targetId: user.id }),
      repo.countBy({ followerId: user.id, targetType: 'user' }),
      viewer ? repo.existsBy({ followerId: viewer.id, targetType: 'user', targetId: user.id }) : false,
    ]);
    return { user, followers, following, followedByMe: mine, me: viewer?.id === user.id };
  }

  async followUser(viewer: Viewer, ref: string): Promise<Profile> {
    const me = signedIn(viewer);
    const target = await this.user(ref);
    if (target.id === me.id) throw invalid('id', 'you cannot follow yourself');
    await this.follow(me.id, 'user', target.id);
    return this.profile(me, target.id);
  }

  async unfollowUser(viewer: Viewer, ref: string): Promise<void> {
    const me = signedIn(viewer);
    const target = await this.user(ref);
    await this.db.repository(MicroblogFollow).delete({ followerId: me.id, targetType: 'user', targetId: target.id });
  }

  async followSpace(viewer: Viewer, ref: string): Promise<SpaceRef> {
    const me = signedIn(viewer);
    const space = await this.access.space(me, ref);
    await this.follow(me.id, 'space', space.id);
    return space;
  }

  async unfollowSpace(viewer: Viewer, ref: string): Promise<SpaceRef> {
    const me = signedIn(viewer);
    const space = await this.access.space(me, ref);
    await this.db.repository(MicroblogFollow).delete({ followerId: me.id, targetType: 'space', targetId: space.id });
    return space;
  }

  async followsSpace(viewer: Viewer, spaceId: string): Promise<boolean> {
    if (!viewer) return false;
    return this.db
      .repository(MicroblogFollow)
      .existsBy({ followerId: viewer.id, targetType: 'space', targetId: spaceId });
  }

  /** Idempotent: following twice is following. */
  private async follow(followerId: string, targetType: FollowTarget, targetId: string): Promise<void> {
    await this.db.transaction(async () => {
      const repo = this.db.repository(MicroblogFollow);
      if (await repo.existsBy({ followerId, targetType, targetId })) return;
      await repo
        .createQueryBuilder()
        .insert()
        .into(MicroblogFollow)
        .values({ followerId, targetType, targetId, createdAt: this.clock.now() })
        .orIgnore()
        .execute();
      await this.events.publish(microblogFollowCreated, { followerId, targetType, targetId });
    });
  }

  /**
   * The home timeline's sources: my own posts, the people I follow, the spaces I follow and the
   * spaces I belong to. Visibility is still decided per post (a followed person's post in a
   * private space I am not in stays out).
   */
  async sources(userId: string): Promise<TimelineSources> {
    // A plain statement: every home timeline asks it.
    const follows: Array<{ target_type: string; target_id: string }> = await this.db
      .manager()
      .query('SELECT target_type, target_id FROM microblog_follow WHERE follower_id = ?', [userId]);
    const authors = new Set([userId]);
    const spaces = new Set(await this.spaces.memberOf(userId));
    for (const f of follows) (f.target_type === 'user' ? authors : spaces).add(f.target_id);
    return { authors: [...authors].sort(), spaces: [...spaces].sort() };
  }
}
