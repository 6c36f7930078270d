import { Injectable } from '@nestjs/common';
import { Clock, Database, InvalidInput, Spaces, type SignedInUser } from '@plein/sdk';
import { ModerationSpace } from '../entities/moderation-space.entity';
import { readTime, sqlTime } from './moderation-config.service';
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

  /** Raw reads here: the gate asks on every post in a space (see ModerationConfig on TypeORM's cost). */
  async get(spaceId: string): Promise<SpaceSettingsView> {
    const [row] = (await this.db
      .manager()
      .query('SELECT premoderated, slow_mode_seconds, updated_at FROM moderation_space WHERE space_id = ?', [
        spaceId,
      ])) as Array<{
      premoderated: number | boolean;
      slow_mode_seconds: number | string;
      updated_at: string | Date;
    }>;
    return {
      spaceId,
      premoderated: Boolean(Number(row?.premoderated ?? 0)),
      slowModeSeconds: Number(row?.slow_mode_seconds ?? 0),
      updatedAt: row ? readTime(row.updated_at)!.toISOString() : null,
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

  async recordPost(spaceId: string, userId: string, at: Date): Promise<void> {
    const upsert =
      this.db.engine === 'sqlite'
        ? 'INSERT INTO moderation_pace (space_id, user_id, last_at) VALUES (?, ?, ?) ON CONFLICT (space_id, user_id) DO UPDATE SET last_at = excluded.last_at'
        : 'INSERT INTO moderation_pace (space_id, user_id, last_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE last_at = VALUES(last_at)';
    await this.db.manager().query(upsert, [spaceId, userId, sqlTime(this.db.engine, at)]);
  }
}
