import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Clock, Database, EventBus, InvalidInput, OnEvent, ProcessJob, Settings, Users, type DeliveredEvent, type UserRef } from '@plein/sdk';
import { KudosTally, Kudo } from '../entities/kudo.entity';
import { kudosGiven, recountTallies } from '../events';
import type { KudosSettings } from '../settings';

export interface KudoView {
  id: string;
  from: UserRef | null;
  to: UserRef | null;
  message: string;
  createdAt: string;
}

@Injectable()
export class KudosService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly users: Users,
    private readonly settings: Settings,
    private readonly clock: Clock,
  ) {}

  async give(fromUserId: string, toUserId: string, message: string): Promise<KudoView> {
    const text = message.trim();
    const { maxMessageLength } = await this.settings.get<KudosSettings>();
    if (!text) throw new InvalidInput([{ field: 'message', message: 'must not be empty' }]);
    if ([...text].length > maxMessageLength) throw new InvalidInput([{ field: 'message', message: `must be at most ${maxMessageLength} characters` }]);
    if (toUserId === fromUserId) throw new InvalidInput([{ field: 'toUserId', message: 'you cannot thank yourself' }]);
    if (!(await this.users.findById(toUserId))) throw new InvalidInput([{ field: 'toUserId', message: 'no such colleague' }]);
    const kudo = await this.db.transaction(async () => {
      const row: Kudo = { id: randomUUID(), fromUserId, toUserId, message: text, createdAt: this.clock.now() };
      await this.db.repository(Kudo).insert(row);
      await this.events.publish(kudosGiven, { kudoId: row.id, fromUserId, toUserId });
      return row;
    });
    return (await this.describe([kudo]))[0];
  }

  /** Newest first; `after` is the last item of the previous page. */
  async latest(limit: number, after: { createdAt: string; id: string } | null): Promise<Kudo[]> {
    const qb = this.db.repository(Kudo).createQueryBuilder('k').orderBy('k.createdAt', 'DESC').addOrderBy('k.id', 'DESC').take(limit);
    if (after) qb.where('(k.createdAt < :at OR (k.createdAt = :at AND k.id < :id))', { at: new Date(after.createdAt), id: after.id });
    return qb.getMany();
  }

  async one(id: string): Promise<KudoView> {
    const kudo = await this.db.repository(Kudo).findOneBy({ id });
    if (!kudo) throw new NotFoundException(`No kudo with the id '${id}'`);
    return (await this.describe([kudo]))[0];
  }

  /** Kudos with their people, in two queries whatever the page size. */
  async describe(kudos: Kudo[]): Promise<KudoView[]> {
    const people = await this.users.findByIds(kudos.flatMap((k) => [k.fromUserId, k.toUserId]));
    return kudos.map((k) => ({
      id: k.id,
      from: people.get(k.fromUserId) ?? null,
      to: people.get(k.toUserId) ?? null,
      message: k.message,
      createdAt: k.createdAt.toISOString(),
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
