import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  Notifications,
  OnEvent,
  Permissions,
  ProcessJob,
  Users,
  type ContentStatus,
  type DeliveredEvent,
  type UserRef,
} from '@plein/sdk';
import { IsNull, LessThanOrEqual } from 'typeorm';
import { Poll, PollOption, PollVote } from '../entities/poll.entity';
import { closeDuePolls, pollContent, pollsClosed, pollsVoteCast } from '../events';
import { pollsPermissions } from '../permissions';

/** A poll as the API and the pages show it. */
export interface PollView {
  id: string;
  contentId: string;
  type: 'polls.poll';
  status: ContentStatus;
  author: UserRef | null;
  spaceId: null;
  question: string;
  options: Array<{ id: string; label: string; votes: number; percent: number }>;
  totalVotes: number;
  /** The option the viewer chose, or null. */
  myVote: string | null;
  open: boolean;
  closesAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Where a page of polls ends: the sort key of its last poll. */
export interface PollsCursor {
  createdAt: string;
  id: string;
}

type Viewer = UserRef | null;
type Loaded = Poll & { status: ContentStatus; updatedAt: Date };

/** A duplicate primary key on SQLite or MySQL: two votes by one person raced. */
function isDuplicateKey(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (
    code === 'ER_DUP_ENTRY' || /^SQLITE_CONSTRAINT/.test(code ?? '') || /UNIQUE constraint failed/.test(message ?? '')
  );
}

@Injectable()
export class PollsService {
  constructor(
    private readonly db: Database,
    private readonly events: EventBus,
    private readonly users: Users,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly permissions: Permissions,
    private readonly notifications: Notifications,
  ) {}

  async create(author: UserRef, input: { question: string; options: string[]; closesAt?: string }): Promise<PollView> {
    const question = input.question.trim();
    const labels = input.options.map((o) => o.trim());
    if (!question) throw new InvalidInput([{ field: 'question', message: 'must not be blank' }]);
    if (labels.some((l) => !l)) throw new InvalidInput([{ field: 'options', message: 'each option needs a label' }]);
    if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length)
      throw new InvalidInput([{ field: 'options', message: 'options must differ from each other' }]);
    const closesAt = input.closesAt ? new Date(input.closesAt) : null;
    if (closesAt && closesAt <= this.clock.now())
      throw new InvalidInput([{ field: 'closesAt', message: 'must be in the future' }]);
    const id = await this.db.transaction(async () => {
      // The gates may hold the poll for review or reject it; the content record carries that status.
      const text = `${question}\n\n${labels.map((l) => `- ${l}`).join('\n')}`;
      const submitted = await this.contents.submit({ type: pollContent, authorId: author.id, title: question, text });
      const poll: Poll = {
        id: randomUUID(),
        question: submitted.title ?? question,
        authorId: author.id,
        contentId: submitted.record.id,
        closesAt,
        closedAt: null,
        createdAt: this.clock.now(),
      };
      await this.db.repository(Poll).insert(poll);
      await this.db
        .repository(PollOption)
        .insert(labels.map((label, position) => ({ id: randomUUID(), pollId: poll.id, position, label, votes: 0 })));
      return poll.id;
    });
    return this.one(author, id);
  }

  /** Newest first among what `viewer` may see; `after` is the last poll of the previous page. */
  async latest(viewer: Viewer, limit: number, after: PollsCursor | null): Promise<Loaded[]> {
    const qb = this.db
      .repository(Poll)
      .createQueryBuilder('p')
      .orderBy('p.createdAt', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .take(limit);
    (await this.contents.visibleTo(viewer)).applyTo(qb, 'p.content_id');
    if (after)
      qb.andWhere('(p.createdAt < :at OR (p.createdAt = :at AND p.id < :id))', {
        at: new Date(after.createdAt),
        id: after.id,
      });
    const polls = await qb.getMany();
    const records = await this.contents.getMany(polls.map((p) => p.contentId));
    return polls.map((p) => ({
      ...p,
      status: records.get(p.contentId)!.status,
      updatedAt: records.get(p.contentId)!.updatedAt,
    }));
  }

  /** One poll, or 404 when it does not exist or the viewer may not see it (held, hidden). */
  async load(viewer: Viewer, id: string): Promise<Loaded> {
    const poll = await this.db.repository(Poll).findOneBy({ id });
    if (!poll) throw new NotFoundException(`No poll with the id '${id}'`);
    const record = await this.contents.getVisible(viewer, poll.contentId);
    return { ...poll, status: record.status, updatedAt: record.updatedAt };
  }

  async one(viewer: Viewer, id: string): Promise<PollView> {
    return (await this.describe(viewer, [await this.load(viewer, id)]))[0];
  }

  /** Polls with authors, options and the viewer's votes, in four queries whatever the page size. */
  async describe(viewer: Viewer, polls: Loaded[]): Promise<PollView[]> {
    if (!polls.length) return [];
    const ids = polls.map((p) => p.id);
    const [authors, options, mine] = await Promise.all([
      this.users.findByIds(polls.map((p) => p.authorId)),
      this.db
        .repository(PollOption)
        .createQueryBuilder('o')
        .where('o.pollId IN (:...ids)', { ids })
        .orderBy('o.position', 'ASC')
        .getMany(),
      viewer
        ? this.db
            .repository(PollVote)
            .createQueryBuilder('v')
            .where('v.userId = :u AND v.pollId IN (:...ids)', { u: viewer.id, ids })
            .getMany()
        : Promise.resolve([] as PollVote[]),
    ]);
    const now = this.clock.now();
    return polls.map((p) => {
      const own = options.filter((o) => o.pollId === p.id);
      const total = own.reduce((sum, o) => sum + o.votes, 0);
      return {
        id: p.id,
        contentId: p.contentId,
        type: 'polls.poll' as const,
        status: p.status,
        author: authors.get(p.authorId) ?? null,
        spaceId: null,
        question: p.question,
        options: own.map((o) => ({
          id: o.id,
          label: o.label,
          votes: o.votes,
          percent: total ? Math.round((o.votes * 100) / total) : 0,
        })),
        totalVotes: total,
        myVote: mine.find((v) => v.pollId === p.id)?.optionId ?? null,
        open: !p.closedAt && !(p.closesAt && p.closesAt <= now),
        closesAt: p.closesAt?.toISOString() ?? null,
        closedAt: p.closedAt?.toISOString() ?? null,
        createdAt: p.createdAt.toISOString(),
        updatedAt: p.updatedAt.toISOString(),
      };
    });
  }

  /** One vote per person and poll: a second one is a 409, whatever option it names. */
  async vote(voter: UserRef, pollId: string, optionId: string): Promise<PollView> {
    const poll = await this.load(voter, pollId);
    if (poll.status !== 'published') throw new Conflict('This poll is waiting for review');
    if (poll.closedAt || (poll.closesAt && poll.closesAt <= this.clock.now()))
      throw new Conflict('This poll is closed');
    await this.db.transaction(async () => {
      const option = await this.db.repository(PollOption).findOneBy({ id: optionId, pollId });
      if (!option) throw new InvalidInput([{ field: 'optionId', message: 'not an option of this poll' }]);
      if (await this.db.repository(PollVote).existsBy({ pollId, userId: voter.id }))
        throw new Conflict('You already voted on this poll');
      try {
        await this.db.repository(PollVote).insert({ pollId, userId: voter.id, optionId, createdAt: this.clock.now() });
      } catch (error) {
        if (isDuplicateKey(error)) throw new Conflict('You already voted on this poll');
        throw error;
      }
      await this.db.repository(PollOption).increment({ id: optionId }, 'votes', 1);
      await this.events.publish(pollsVoteCast, { pollId, optionId, userId: voter.id });
    });
    return this.one(voter, pollId);
  }

  /** Its author or a holder of polls.poll.manage closes a poll; closing a closed poll is a 409. */
  async close(user: UserRef, pollId: string): Promise<PollView> {
    const poll = await this.load(user, pollId);
    if (poll.authorId !== user.id) await this.permissions.assert(user, pollsPermissions.manage);
    if (!(await this.closeOne(pollId, user.id))) throw new Conflict('This poll is already closed');
    return this.one(user, pollId);
  }

  /** Marks the poll closed unless it already is, and publishes polls.poll.closed; false when it was. */
  private closeOne(pollId: string, closedBy: string | null): Promise<boolean> {
    return this.db.transaction(async () => {
      const done = await this.db
        .repository(Poll)
        .update({ id: pollId, closedAt: IsNull() }, { closedAt: this.clock.now() });
      if (!done.affected) return false;
      await this.events.publish(pollsClosed, { pollId, closedBy });
      return true;
    });
  }

  /** The scheduled job: closes every poll whose end time has passed. Safe to run twice. */
  @ProcessJob(closeDuePolls)
  async closeDue(): Promise<void> {
    const due = await this.db
      .repository(Poll)
      .find({ where: { closedAt: IsNull(), closesAt: LessThanOrEqual(this.clock.now()) }, take: 500 });
    for (const poll of due) await this.closeOne(poll.id, null);
  }

  /** Durable: tells everyone who voted that the results are final, once per closed poll. */
  @OnEvent(pollsClosed, { durable: true })
  async notifyVoters(event: DeliveredEvent<{ pollId: string; closedBy: string | null }>): Promise<void> {
    const poll = await this.db.repository(Poll).findOneBy({ id: event.payload.pollId });
    if (!poll) return;
    const voters = await this.db.repository(PollVote).find({ where: { pollId: poll.id }, select: { userId: true } });
    const userIds = voters.map((v) => v.userId).filter((id) => id !== event.payload.closedBy);
    if (!userIds.length) return;
    await this.notifications.notify(userIds, {
      kind: 'polls.closed',
      title: `Poll closed: ${poll.question}`,
      titleKey: 'polls.notification.closed',
      params: { question: poll.question },
      url: `/polls/${poll.id}`,
      contentId: poll.contentId,
    });
  }
}
