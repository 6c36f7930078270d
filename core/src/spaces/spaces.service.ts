import { randomUUID } from 'node:crypto';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { InvalidInput, Spaces, type Clock, type SpaceRef, type SpaceRole } from '@plein/sdk';
import type { DatabaseService } from '../database/database.service';
import { MembershipRow, SpaceRow } from './space.entities';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Slugs that page routes use for themselves (`/spaces/new`) or plugins reserve (`/wiki/-/…`). */
const RESERVED_SLUGS = new Set(['new', 'p', 'api', 'admin', 'settings']);
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface NewSpace {
  slug: string;
  name: string;
  description?: string | null;
  visibility: 'public' | 'private';
  joinPolicy: 'open' | 'request' | 'invite';
}

export function toSpaceRef(row: SpaceRow): SpaceRef {
  return { id: row.id, slug: row.slug, name: row.name, visibility: row.visibility, joinPolicy: row.joinPolicy };
}

/** Spaces and memberships; the one place that decides whether someone may see a space. */
export class SpacesService extends Spaces {
  constructor(
    private readonly db: DatabaseService,
    private readonly clock: Clock,
    private readonly isSiteAdmin: (user: { id: string }) => Promise<boolean>,
  ) {
    super();
  }

  async findRow(idOrSlug: string): Promise<SpaceRow | null> {
    const repo = this.db.repository(SpaceRow);
    return UUID_PATTERN.test(idOrSlug)
      ? repo.findOneBy({ id: idOrSlug })
      : repo.findOneBy({ slug: idOrSlug.toLowerCase() });
  }

  /** One plain query (every page that names a space asks it): what a reference shows, by id or slug. */
  async find(idOrSlug: string): Promise<SpaceRef | null> {
    const byId = UUID_PATTERN.test(idOrSlug);
    const [row] = await this.db.select<{
      id: string;
      slug: string;
      name: string;
      visibility: SpaceRef['visibility'];
      join_policy: SpaceRef['joinPolicy'];
    }>(`SELECT id, slug, name, visibility, join_policy FROM core_space WHERE ${byId ? 'id' : 'slug'} = ?`, [
      byId ? idOrSlug : idOrSlug.toLowerCase(),
    ]);
    return row
      ? { id: row.id, slug: row.slug, name: row.name, visibility: row.visibility, joinPolicy: row.join_policy }
      : null;
  }

  async canSee(user: { id: string } | null, space: SpaceRow): Promise<boolean> {
    if (space.visibility === 'public') return true;
    if (!user) return false;
    return (await this.roleOf(user.id, space.id)) !== null || (await this.isSiteAdmin(user));
  }

  async visibleRow(user: { id: string } | null, idOrSlug: string): Promise<SpaceRow | null> {
    const row = await this.findRow(idOrSlug);
    return row && (await this.canSee(user, row)) ? row : null;
  }

  async visibleTo(user: { id: string } | null, idOrSlug: string): Promise<SpaceRef | null> {
    const row = await this.visibleRow(user, idOrSlug);
    return row ? toSpaceRef(row) : null;
  }

  async roleOf(userId: string, spaceId: string): Promise<SpaceRole | null> {
    const [m] = await this.db.select<{ role: SpaceRole }>(
      "SELECT role FROM core_membership WHERE space_id = ? AND user_id = ? AND status = 'active'",
      [spaceId, userId],
    );
    return m?.role ?? null;
  }

  async membership(userId: string, spaceId: string): Promise<MembershipRow | null> {
    return this.db.repository(MembershipRow).findOneBy({ spaceId, userId });
  }

  async memberOf(userId: string): Promise<string[]> {
    const rows = await this.db.select<{ space_id: string }>(
      "SELECT space_id FROM core_membership WHERE user_id = ? AND status = 'active'",
      [userId],
    );
    return rows.map((m) => m.space_id);
  }

  async members(spaceId: string): Promise<string[]> {
    const rows = await this.db.select<{ user_id: string }>(
      "SELECT user_id FROM core_membership WHERE space_id = ? AND status = 'active'",
      [spaceId],
    );
    return rows.map((m) => m.user_id);
  }

  /** Spaces the user may see, by name: public ones and those they belong to (all, for site admins). */
  async listVisible(
    user: { id: string } | null,
  ): Promise<Array<SpaceRow & { myRole: SpaceRole | null; myStatus: string | null }>> {
    const qb = this.db
      .repository(SpaceRow)
      .createQueryBuilder('s')
      .leftJoin(MembershipRow, 'm', 'm.space_id = s.id AND m.user_id = :uid', { uid: user?.id ?? '' })
      .addSelect(['m.role', 'm.status'])
      .orderBy('s.name', 'ASC');
    if (!(user && (await this.isSiteAdmin(user)))) qb.where("(s.visibility = 'public' OR m.status = 'active')");
    const { entities, raw } = await qb.getRawAndEntities();
    return entities.map((e, i) => ({
      ...e,
      myRole: (raw[i].m_role as SpaceRole | null) ?? null,
      myStatus: (raw[i].m_status as string | null) ?? null,
    }));
  }

  async create(input: NewSpace, creatorId: string): Promise<SpaceRow> {
    const slug = input.slug.trim().toLowerCase();
    if (!SLUG_PATTERN.test(slug))
      throw new InvalidInput([{ field: 'slug', message: 'must be 2–63 characters: a-z, 0-9 and dashes' }]);
    if (RESERVED_SLUGS.has(slug)) throw new InvalidInput([{ field: 'slug', message: 'is reserved' }]);
    return this.db.transaction(async (m) => {
      if (await m.existsBy(SpaceRow, { slug }))
        throw new InvalidInput([{ field: 'slug', message: 'is already taken' }]);
      const now = this.clock.now();
      const row: SpaceRow = {
        id: randomUUID(),
        slug,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        visibility: input.visibility,
        joinPolicy: input.joinPolicy,
        createdBy: creatorId,
        createdAt: now,
        updatedAt: now,
      };
      await m.insert(SpaceRow, row);
      await m.insert(MembershipRow, {
        spaceId: row.id,
        userId: creatorId,
        role: 'admin',
        status: 'active',
        createdAt: now,
      });
      return row;
    });
  }

  async update(
    space: SpaceRow,
    change: Partial<Pick<SpaceRow, 'name' | 'description' | 'visibility' | 'joinPolicy'>>,
  ): Promise<SpaceRow> {
    const next = {
      ...space,
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
      updatedAt: this.clock.now(),
    };
    await this.db.repository(SpaceRow).update({ id: space.id }, next);
    return next;
  }

  /** Adds or changes a member (space admins and site admins: the way in for invite-only spaces). */
  async setMember(spaceId: string, userId: string, role: SpaceRole): Promise<MembershipRow> {
    return this.db.transaction(async (m) => {
      const existing = await m.findOneBy(MembershipRow, { spaceId, userId });
      if (existing?.role === 'admin' && existing.status === 'active' && role !== 'admin') {
        const admins = await m.countBy(MembershipRow, { spaceId, role: 'admin', status: 'active' });
        if (admins === 1)
          throw new ConflictException('A space keeps at least one admin: make someone else admin first');
      }
      const row: MembershipRow = {
        spaceId,
        userId,
        role,
        status: 'active',
        createdAt: existing?.createdAt ?? this.clock.now(),
      };
      if (existing) await m.update(MembershipRow, { spaceId, userId }, { role, status: 'active' });
      else await m.insert(MembershipRow, row);
      return row;
    });
  }

  /** Joining by the user: open spaces let them in, request spaces record a request. */
  async join(space: SpaceRow, userId: string): Promise<MembershipRow> {
    const existing = await this.membership(userId, space.id);
    if (existing?.status === 'active') return existing;
    if (space.joinPolicy === 'invite')
      throw new ConflictException('This space is by invitation only: ask one of its admins to add you');
    const status = space.joinPolicy === 'open' ? 'active' : 'requested';
    const row: MembershipRow = {
      spaceId: space.id,
      userId,
      role: existing?.role ?? 'member',
      status,
      createdAt: this.clock.now(),
    };
    if (existing) await this.db.repository(MembershipRow).update({ spaceId: space.id, userId }, { status });
    else await this.db.repository(MembershipRow).insert(row);
    return row;
  }

  async removeMember(spaceId: string, userId: string): Promise<void> {
    const admins = await this.db.repository(MembershipRow).findBy({ spaceId, role: 'admin', status: 'active' });
    if (admins.length === 1 && admins[0].userId === userId)
      throw new ConflictException('A space keeps at least one admin: make someone else admin first');
    const result = await this.db.repository(MembershipRow).delete({ spaceId, userId });
    if (!result.affected) throw new NotFoundException('That person is not a member of this space');
  }

  async memberList(spaceId: string): Promise<MembershipRow[]> {
    return this.db.repository(MembershipRow).find({ where: { spaceId }, order: { createdAt: 'ASC' } });
  }
}
