import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  Notifications,
  OnEvent,
  ProcessJob,
  Settings,
  Users,
  type ContentStatus,
  type DeliveredEvent,
  type UserRef,
} from '@plein/sdk';
import { KudosTally, Kudo } from '../entities/kudo.entity';
import { kudoContent, kudosGiven, recountTallies } from '../events';
import type { KudosSettings } from '../settings';

export interface KudoView {
  id: string;
  contentId: string | null;
  type: 'kudos.kudo';
  status: ContentStatus;
  author: UserRef | null;
  spaceId: null;
  from: UserRef | null;
  to: UserRef | null;
  message: string;
  createdAt: string;
  updatedAt: string;
}

type Viewer = { id: string } | null;

@Injectable()
export class KudosService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly users: Users,
    private readonly settings: Settings,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly notifications: Notifications,
  ) {}

  async give(fromUserId: string, toUserId: string, message: string): Promise<KudoView> {
    const text = message.trim();
    const { maxMessageLength } = await this.settings.get<KudosSettings>();
    if (!text) throw new InvalidInput([{ field: 'message', message: 'must not be empty' }]);
    if ([...text].length > maxMessageLength) throw new InvalidInput([{ field: 'message', message: `must be at most ${maxMessageLength} characters` }]);
    if (toUserId === fromUserId) throw new InvalidInput([{ field: 'toUserId', message: 'you cannot thank yourself' }]);
    const receiver = await this.users.findById(toUserId);
    if (!receiver) throw new InvalidInput([{ field: 'toUserId', message: 'no such colleague' }]);
    const { kudo, status } = await this.db.transaction(async () => {
      // The gates may hold the kudo for review or change its text; store what they decided.
      const submitted = await this.contents.submit({ type: kudoContent, authorId: fromUserId, text });
      const row: Kudo = { id: randomUUID(), fromUserId, toUserId, message: submitted.text, contentId: submitted.record.id, createdAt: this.clock.now() };
      await this.db.repository(Kudo).insert(row);
      await this.events.publish(kudosGiven, { kudoId: row.id, fromUserId, toUserId });
      if (submitted.record.status === 'published') {
        const giver = await this.users.findById(fromUserId);
        const name = giver?.displayName ?? 'Someone';
        await this.notifications.notify([toUserId], {
          kind: 'kudos.received',
          title: `${name} thanked you`,
          titleKey: 'kudos.notification.received',
          params: { name },
          url: '/kudos',
          contentId: submitted.record.id,
        });
      }
      return { kudo: row, status: submitted.record.status };
    });
    return (await this.describe([{ ...kudo, status, updatedAt: kudo.createdAt }]))[0];
  }

  /** Newest first among what `viewer` may see; `after` is the last item of the previous page. */
  async latest(viewer: Viewer, limit: number, after: { createdAt: string; id: string } | null): Promise<Array<Kudo & { status: ContentStatus; updatedAt: Date }>> {
    const qb = this.db.repository(Kudo).createQueryBuilder('k').orderBy('k.createdAt', 'DESC').addOrderBy('k.id', 'DESC').limit(limit);
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'k.content_id');
    if (after) qb.andWhere('(k.createdAt < :at OR (k.createdAt = :at AND k.id < :id))', { at: new Date(after.createdAt), id: after.id });
    const kudos = await qb.getMany();
    const records = await this.contents.getMany(kudos.map((k) => k.contentId!));
    return kudos.map((k) => ({ ...k, status: records.get(k.contentId!)!.status, updatedAt: records.get(k.contentId!)!.updatedAt }));
  }

  async one(viewer: Viewer, id: string): Promise<KudoView> {
    const kudo = await this.db.repository(Kudo).findOneBy({ id });
    if (!kudo?.contentId) throw new NotFoundException(`No kudo with the id '${id}'`);
    const record = await this.contents.getVisible(viewer, kudo.contentId);
    return (await this.describe([{ ...kudo, status: record.status, updatedAt: record.updatedAt }]))[0];
  }

  /** Kudos with their people, in two queries whatever the page size. */
  async describe(kudos: Array<Kudo & { status: ContentStatus; updatedAt: Date }>): Promise<KudoView[]> {
    const people = await this.users.findByIds(kudos.flatMap((k) => [k.fromUserId, k.toUserId]));
    return kudos.map((k) => ({
      id: k.id,
      contentId: k.contentId,
      type: 'kudos.kudo',
      status: k.status,
      author: people.get(k.fromUserId) ?? null,
      spaceId: null,
      from: people.get(k.fromUserId) ?? null,
      to: people.get(k.toUserId) ?? null,
      message: k.message,
      createdAt: k.createdAt.toISOString(),
      updatedAt: k.updatedAt.toISOString(),
    }));
  }

  async leaderboard(limit = 10): Promise<Array<{ user: UserRef | null; received: number }>> {
    const rows = await this.db.repository(KudosTally).find({ order: { received: 'DESC', userId: 'ASC' }, take: limit });
    const people = await this.users.findByIds(rows.map((r) => r.userId));
    return rows.map((r) => ({ user: people.get(r.userId) ?? null, received: r.received }));
  }

  /** Durable: runs once per kudo, in the transaction that marks the event delivered. */
  @OnEvent(kudosGiven, { durable: true })
  async countReceived(event: DeliveredEvent<{ toUserId: string }>): Promise<void> {
    const tallies = this.db.repository(KudosTally);
    const updated = await tallies.increment({ userId: event.payload.toUserId }, 'received', 1);
    if (!updated.affected) await tallies.insert({ userId: event.payload.toUserId, received: 1 });
  }

  @ProcessJob(recountTallies)
  async recount(): Promise<void> {
    await this.db.transaction(async (m) => {
      const counts: Array<{ userId: string; received: string | number }> = await m
        .createQueryBuilder(Kudo, 'k')
        .select('k.toUserId', 'userId')
        .addSelect('COUNT(*)', 'received')
        .groupBy('k.toUserId')
        .getRawMany();
      await m.createQueryBuilder().delete().from(KudosTally).execute();
      if (counts.length) await m.insert(KudosTally, counts.map((c) => ({ userId: c.userId, received: Number(c.received) })));
    });
  }
}
