import { Injectable } from '@nestjs/common';
import { Clock, Database, InvalidInput, Spaces, type SignedInUser } from '@plein/sdk';
import { ModerationPace, ModerationSpace } from '../entities/moderation-space.entity';
import { ModerationLog } from './moderation-log.service';
import { ModerationScope } from './moderation-scope.service';

export interface SpaceSettingsView {
  spaceId: string;
  premoderated: boolean;
  slowModeSeconds: number;
  updatedAt: string | null;
}

/** The longest slow mode: one post a day. */
export const MAX_SLOW_MODE_SECONDS = 86_400;

/** Per space: pre-moderation and slow mode, and when each person last posted there. */
@Injectable()
export class SpaceSettingsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly spaces: Spaces,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
  ) {}

  /** A space's id from its id or slug (a 422 naming `spaceId` when there is none). */
  async resolve(ref: string): Promise<string> {
    const space = await this.spaces.find(ref);
    if (!space) throw new InvalidInput([{ field: 'spaceId', message: `no space '${ref}'` }]);
    return space.id;
  }

  async get(spaceId: string): Promise<SpaceSettingsView> {
    const row = await this.db.repository(ModerationSpace).findOneBy({ spaceId });
    return {
      spaceId,
      premoderated: row?.premoderated ?? false,
      slowModeSeconds: row?.slowModeSeconds ?? 0,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  /** Changes what is given; `spaceRef` is a space id or slug (the route's guard checked the permission there). */
  async set(
    user: SignedInUser,
    spaceRef: string,
    change: { premoderated?: boolean; slowModeSeconds?: number },
  ): Promise<SpaceSettingsView> {
    const space = { id: await this.resolve(spaceRef) };
    const seconds = change.slowModeSeconds;
    if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_SLOW_MODE_SECONDS)) {
      throw new InvalidInput([
        { field: 'slowModeSeconds', message: `must be a whole number of seconds from 0 to ${MAX_SLOW_MODE_SECONDS}` },
      ]);
    }
    const before = await this.get(space.id);
    const after = {
      premoderated: change.premoderated ?? before.premoderated,
      slowModeSeconds: seconds ?? before.slowModeSeconds,
    };
    await this.db.transaction(async () => {
      await this.db
        .repository(ModerationSpace)
        .upsert({ spaceId: space.id, ...after, updatedBy: user.id, updatedAt: this.clock.now() }, ['spaceId']);
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'space.configured',
        spaceId: space.id,
        details: { from: { premoderated: before.premoderated, slowModeSeconds: before.slowModeSeconds }, to: after },
      });
    });
    return this.get(space.id);
  }

  /** When `userId` last posted in the space (slow mode), or null. */
  async lastPost(spaceId: string, userId: string): Promise<Date | null> {
    const row = await this.db.repository(ModerationPace).findOneBy({ spaceId, userId });
    return row?.lastAt ?? null;
  }

  async recordPost(spaceId: string, userId: string, at: Date): Promise<void> {
    await this.db.repository(ModerationPace).upsert({ spaceId, userId, lastAt: at }, ['spaceId', 'userId']);
  }
}
