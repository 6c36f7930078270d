import { randomUUID } from 'node:crypto';
import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Conflict,
  Contents,
  Database,
  InvalidInput,
  Users,
  type ContentRecord,
  type ContentStatus,
  type SignedInUser,
  type UserRef,
} from '@plein/sdk';
import { In, IsNull, type SelectQueryBuilder } from 'typeorm';
import { ModerationItem, type ItemStatus } from '../entities/moderation-item.entity';
import { ModerationNote } from '../entities/moderation-note.entity';
import { ModerationReport } from '../entities/moderation-report.entity';
import { ModerationSanction } from '../entities/moderation-sanction.entity';
import { LANES, type DecisionAction, type Lane, type ReportReason } from '../events';
import { moderationPermissions } from '../permissions';
import { readTime, sqlTime } from './moderation-config.service';
import { ModerationLog } from './moderation-log.service';
import { ModerationScope, type Scope } from './moderation-scope.service';
import { SanctionsService, type SanctionView } from './sanctions.service';

/** Where an item of content stands, as the queue shows it. */
export interface QueueContentView {
  id: string;
  contentId: string;
  type: string;
  typeName: string;
  status: ContentStatus;
  title: string | null;
  excerpt: string | null;
  statusReason: string | null;
  url: string | null;
  spaceId: string | null;
  author: UserRef | null;
  createdAt: string;
  updatedAt: string;
  editedAt: string | null;
}

export interface ReportView {
  id: string;
  reason: ReportReason | 'rule';
  note: string | null;
  /** Null for a rule's flag. */
  reporter: UserRef | null;
  source: 'member' | 'rule';
  ruleId: string | null;
  createdAt: string;
}

export interface QueueItemView {
  id: string;
  lane: Lane;
  status: ItemStatus;
  content: QueueContentView | null;
  sanction: SanctionView | null;
  author: UserRef | null;
  reason: string | null;
  reportCount: number;
  autoHidden: boolean;
  routeRole: string | null;
  reports: ReportView[];
  claimedBy: UserRef | null;
  claimedAt: string | null;
  appeal: { text: string; appealOfItemId: string | null; sanctionId: string | null } | null;
  decision: { action: DecisionAction; reason: string | null; by: UserRef | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuthorHistory {
  author: UserRef | null;
  content: Record<ContentStatus, number>;
  decisions: Partial<Record<DecisionAction, number>>;
  recent: Array<{
    itemId: string;
    lane: Lane;
    action: DecisionAction | null;
    reason: string | null;
    contentId: string | null;
    at: string | null;
  }>;
  sanctions: SanctionView[];
}

export interface QueueItemDetail extends QueueItemView {
  notes: Array<{ id: string; author: UserRef | null; text: string; createdAt: string }>;
  history: AuthorHistory;
  /** For an appeal: the decision appealed. */
  appealOf: QueueItemView | null;
}

export type QueueCursor = { at: string; id: string };

/** What opens an item about content. */
export interface ContentSubject {
  contentId: string;
  type: string;
  spaceId: string | null;
  authorId: string;
}

/** Reports shown per item in a list (the count says how many there are). */
const REPORTS_PER_ITEM = 20;
/** An author's content is counted up to this per status in an item's history. */
export const HISTORY_COUNT_CAP = 10_000;
/** Lane counts are counted up to this (the page shows "100+"). */
export const COUNT_CAP = 100;

export const openKey = (lane: Lane, subject: string) => `${lane}:${subject}`;

/** A queue row as the query builder's statement answers it (columns prefixed by the alias). */
type RawItem = Record<string, string | number | Date | null>;

/** A raw queue row as an item (dates read as both engines give them, flags as booleans). */
function itemOf(r: RawItem): ModerationItem {
  const text = (k: string) => (r[`i_${k}`] === null || r[`i_${k}`] === undefined ? null : String(r[`i_${k}`]));
  const time = (k: string) => readTime(r[`i_${k}`] as string | Date | null);
  return {
    id: String(r.i_id),
    lane: text('lane') as Lane,
    status: text('status') as ItemStatus,
    openKey: text('open_key'),
    contentId: text('content_id'),
    contentType: text('content_type'),
    spaceId: text('space_id'),
    authorId: String(r.i_author_id),
    reason: text('reason'),
    reportCount: Number(r.i_report_count),
    autoHidden: Boolean(Number(r.i_auto_hidden)),
    routeRole: text('route_role'),
    ruleId: text('rule_id'),
    claimedBy: text('claimed_by'),
    claimedAt: time('claimed_at'),
    excludedModeratorId: text('excluded_moderator_id'),
    appealKey: text('appeal_key'),
    appealOfItemId: text('appeal_of_item_id'),
    sanctionId: text('sanction_id'),
    appealText: text('appeal_text'),
    decision: text('decision') as DecisionAction | null,
    decisionReason: text('decision_reason'),
    decidedBy: text('decided_by'),
    decidedAt: time('decided_at'),
    createdAt: time('created_at')!,
    updatedAt: time('updated_at')!,
  };
}

/** Whether an error is a unique-index violation (two people opening the same item at once). */
function isDuplicate(error: unknown): boolean {
  const e = error as { code?: string; errno?: number; message?: string };
  return (
    e.code === 'ER_DUP_ENTRY' ||
    e.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(e.message ?? '')
  );
}

/**
 * The review queue: one list across plugins, in three lanes. Opening items (held, flagged,
 * reported, appealed), listing them for a moderator's scope (keyset pages, oldest first), the
 * item in context (content, reports, the author's history), claims and internal notes.
 */
@Injectable()
export class QueueService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly users: Users,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly sanctions: SanctionsService,
  ) {}

  // ----- opening items

  /** The open item of a lane for a subject (content id, or `sanction:<id>`), or null. */
  async openItem(lane: Lane, subject: string): Promise<ModerationItem | null> {
    return this.db.repository(ModerationItem).findOneBy({ openKey: openKey(lane, subject) });
  }

  private async insert(item: ModerationItem): Promise<void> {
    try {
      await this.db.repository(ModerationItem).insert(item);
    } catch (error) {
      if (isDuplicate(error)) throw new Conflict('Someone else did the same at this moment: try again');
      throw error;
    }
  }

  private blank(lane: Lane, subject: ContentSubject, now: Date): ModerationItem {
    return {
      id: randomUUID(),
      lane,
      status: 'open',
      openKey: openKey(lane, subject.contentId),
      contentId: subject.contentId,
      contentType: subject.type,
      spaceId: subject.spaceId,
      authorId: subject.authorId,
      reason: null,
      reportCount: 0,
      autoHidden: false,
      routeRole: null,
      ruleId: null,
      claimedBy: null,
      claimedAt: null,
      excludedModeratorId: null,
      appealKey: null,
      appealOfItemId: null,
      sanctionId: null,
      appealText: null,
      decision: null,
      decisionReason: null,
      decidedBy: null,
      decidedAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Puts held content in the `held` lane (once while open); true when this made the item. */
  async openHeld(
    subject: ContentSubject,
    hold: { reason: string | null; ruleId?: string | null; routeRole?: string | null },
  ): Promise<{ item: ModerationItem; created: boolean }> {
    const existing = await this.openItem('held', subject.contentId);
    if (existing) return { item: existing, created: false };
    const item: ModerationItem = {
      ...this.blank('held', subject, this.clock.now()),
      reason: hold.reason?.slice(0, 500) ?? null,
      ruleId: hold.ruleId ?? null,
      routeRole: hold.routeRole ?? null,
    };
    await this.insert(item);
    await this.log.record({
      actor: null,
      actorRole: 'system',
      action: 'content.held',
      itemId: item.id,
      contentId: subject.contentId,
      userId: subject.authorId,
      spaceId: subject.spaceId,
      reason: item.reason,
      details: { type: subject.type, ...(hold.ruleId ? { ruleId: hold.ruleId } : {}) },
    });
    return { item, created: true };
  }

  /** The open `reports` item of the content, made when there is none. */
  async reportsItem(subject: ContentSubject): Promise<ModerationItem> {
    const existing = await this.openItem('reports', subject.contentId);
    if (existing) return existing;
    const item = this.blank('reports', subject, this.clock.now());
    await this.insert(item);
    return item;
  }

  /** Published content a rule flagged: into the `reports` lane with a report per rule. */
  async flag(
    subject: ContentSubject,
    flags: Array<{ ruleId: string; matched: string; routeRole: string | null }>,
  ): Promise<void> {
    const item = await this.reportsItem(subject);
    const now = this.clock.now();
    const routeRole = item.routeRole ?? flags.find((f) => f.routeRole)?.routeRole ?? null;
    if (routeRole !== item.routeRole || !item.reason) {
      const reason = item.reason ?? `Flagged by a watched word: “${flags[0].matched}”`.slice(0, 500);
      await this.db.repository(ModerationItem).update({ id: item.id }, { routeRole, reason, updatedAt: now });
    }
    for (const flag of flags) {
      await this.db.repository(ModerationReport).insert({
        id: randomUUID(),
        itemId: item.id,
        contentId: subject.contentId,
        reporterId: null,
        reason: 'rule',
        note: `“${flag.matched}”`.slice(0, 1000),
        ruleId: flag.ruleId,
        createdAt: now,
      });
    }
    await this.log.record({
      actor: null,
      actorRole: 'system',
      action: 'content.flagged',
      itemId: item.id,
      contentId: subject.contentId,
      userId: subject.authorId,
      spaceId: subject.spaceId,
      details: { rules: flags.map((f) => f.ruleId), type: subject.type },
    });
  }

  /** Ends the open items of content without a decision (it was deleted, or decided elsewhere). */
  async closeOpen(
    contentId: string,
    lanes: readonly Lane[],
    why: string,
    except: string | null = null,
  ): Promise<ModerationItem[]> {
    const open = await this.db.repository(ModerationItem).findBy({ contentId, status: 'open', lane: In([...lanes]) });
    const closed: ModerationItem[] = [];
    const now = this.clock.now();
    for (const item of open.filter((i) => i.id !== except)) {
      const result = await this.db
        .repository(ModerationItem)
        .update(
          { id: item.id, status: 'open' },
          { status: 'closed', openKey: null, decisionReason: why, updatedAt: now },
        );
      if (result.affected) closed.push(item);
    }
    return closed;
  }

  // ----- reading

  /** The lanes and spaces `user` sees (a 403 when they review nowhere). */
  async reviewScope(user: SignedInUser): Promise<Scope> {
    return this.scope.require(user, moderationPermissions.review);
  }

  /** Whether `user` may see and act on `item`: scope, routing, and not the decider of an appealed decision. */
  async assertMayAct(user: SignedInUser, item: ModerationItem): Promise<void> {
    await this.scope.assert(user, moderationPermissions.review, item.spaceId, 'This item');
    if (!this.scope.seesRoute(user, item.routeRole)) {
      throw new ForbiddenException(`This item is for the people holding the role '${item.routeRole}'`);
    }
    if (item.excludedModeratorId === user.id) {
      throw new ForbiddenException('You decided what is appealed here: another moderator decides the appeal');
    }
  }

  async find(id: string): Promise<ModerationItem> {
    const item = await this.db.repository(ModerationItem).findOneBy({ id });
    if (!item) throw new NotFoundException(`No queue item with the id '${id}'`);
    return item;
  }

  /**
   * A page of the queue in `user`'s scope: open items oldest first (decided ones newest first),
   * by keyset on (created_at, id).
   */
  /**
   * The query of a page of the queue in `user`'s scope (exposed for the query-plan test): open
   * items oldest first, decided ones newest first, keyset on (created_at, id), on the index
   * `(status, lane, created_at, id)` (or `(status, space_id, lane, created_at, id)` in one space).
   */
  listQuery(
    user: SignedInUser,
    scope: Scope,
    options: { lane?: Lane; spaceId?: string | null; status?: ItemStatus; limit: number; cursor: QueueCursor | null },
  ): SelectQueryBuilder<ModerationItem> {
    const status = options.status ?? 'open';
    const ascending = status === 'open';
    const qb = this.db.repository(ModerationItem).createQueryBuilder('i').where('i.status = :status', { status });
    if (options.lane) qb.andWhere('i.lane = :lane', { lane: options.lane });
    if (options.spaceId) {
      if (!this.scope.covers(scope, options.spaceId)) throw new ForbiddenException('You do not moderate this space');
      qb.andWhere('i.space_id = :spaceId', { spaceId: options.spaceId });
    } else if (!scope.global) qb.andWhere('i.space_id IN (:...spaces)', { spaces: scope.spaceIds });
    if (!user.roles.includes('admin')) {
      qb.andWhere('(i.route_role IS NULL OR i.route_role IN (:...roles))', {
        roles: user.roles.length ? user.roles : ['member'],
      });
    }
    qb.andWhere('(i.excluded_moderator_id IS NULL OR i.excluded_moderator_id <> :me)', { me: user.id });
    if (options.cursor) {
      const at = new Date(String(options.cursor.at));
      if (Number.isNaN(at.getTime()))
        throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
      // The first conjunct is a range both engines seek to on the index; the OR only sorts out ties.
      // (An OR alone made MySQL merge indexes and sort; a row value `(created_at, id) > (…)` is not
      // a range to MariaDB, which then walked the lane from its start.)
      qb.andWhere(
        ascending
          ? 'i.created_at >= :at AND (i.created_at > :at OR i.id > :id)'
          : 'i.created_at <= :at AND (i.created_at < :at OR i.id < :id)',
        { at, id: String(options.cursor.id) },
      );
    }
    const direction = ascending ? 'ASC' : 'DESC';
    return qb
      .orderBy('i.created_at', direction)
      .addOrderBy('i.id', direction)
      .limit(options.limit + 1);
  }

  /** A page of the queue in `user`'s scope (see {@link QueueService.listQuery}). */
  async list(
    user: SignedInUser,
    scope: Scope,
    options: { lane?: Lane; spaceId?: string | null; status?: ItemStatus; limit: number; cursor: QueueCursor | null },
  ): Promise<{ rows: ModerationItem[]; next: QueueCursor | null }> {
    // Built by the query builder, run as a plain statement: hydrating entities cost more than the read.
    const [sql, parameters] = this.listQuery(user, scope, options).getQueryAndParameters();
    const values = parameters.map((p: unknown) => (p instanceof Date ? sqlTime(this.db.engine, p) : p));
    const rows = ((await this.db.manager().query(sql, values)) as RawItem[]).map(itemOf);
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      rows: page,
      next: rows.length > options.limit && last ? { at: last.createdAt.toISOString(), id: last.id } : null,
    };
  }

  /** Open items per lane in `user`'s scope, each counted up to {@link COUNT_CAP}. */
  async counts(user: SignedInUser, scope: Scope, spaceId: string | null): Promise<Record<Lane, number>> {
    const counts = {} as Record<Lane, number>;
    for (const lane of LANES) {
      const { rows } = await this.list(user, scope, { lane, spaceId, limit: COUNT_CAP, cursor: null });
      counts[lane] = rows.length;
    }
    return counts;
  }

  /** Items with their content, reports and people: a few queries for the whole page. */
  async describe(items: readonly ModerationItem[]): Promise<QueueItemView[]> {
    if (!items.length) return [];
    const contentIds = items.map((i) => i.contentId).filter((id): id is string => id !== null);
    const records = await this.contents.getMany(contentIds);
    const urls = await this.contents.urlsOf(contentIds, records);
    const itemIds = items.map((i) => i.id);
    const reports = (
      (await this.db
        .manager()
        .query(
          `SELECT id, item_id, reporter_id, reason, note, rule_id, created_at FROM moderation_report WHERE item_id IN (${itemIds.map(() => '?').join(', ')}) ORDER BY created_at ASC, id ASC`,
          itemIds,
        )) as Array<{
        id: string;
        item_id: string;
        reporter_id: string | null;
        reason: ReportReason | 'rule';
        note: string | null;
        rule_id: string | null;
        created_at: string | Date;
      }>
    ).map((r) => ({
      id: r.id,
      itemId: r.item_id,
      reporterId: r.reporter_id,
      reason: r.reason,
      note: r.note,
      ruleId: r.rule_id,
      createdAt: readTime(r.created_at)!,
    }));
    const sanctionIds = items.map((i) => i.sanctionId).filter((id): id is string => id !== null);
    const sanctionRows = sanctionIds.length
      ? await this.db.repository(ModerationSanction).findBy({ id: In(sanctionIds) })
      : [];
    const sanctionViews = new Map((await this.sanctions.describe(sanctionRows)).map((s) => [s.id, s]));
    const people = await this.users.findByIds(
      [...items.flatMap((i) => [i.authorId, i.claimedBy, i.decidedBy]), ...reports.map((r) => r.reporterId)].filter(
        (id): id is string => !!id,
      ),
    );
    const reportsOf = new Map<string, typeof reports>();
    for (const r of reports) (reportsOf.get(r.itemId) ?? reportsOf.set(r.itemId, []).get(r.itemId)!).push(r);
    return items.map((i) => {
      const record = i.contentId ? records.get(i.contentId) : undefined;
      return {
        id: i.id,
        lane: i.lane,
        status: i.status,
        content: record
          ? this.contentView(record, urls.get(record.id) ?? null, people.get(record.authorId) ?? null)
          : null,
        sanction: i.sanctionId ? (sanctionViews.get(i.sanctionId) ?? null) : null,
        author: people.get(i.authorId) ?? null,
        reason: i.reason,
        reportCount: i.reportCount,
        autoHidden: i.autoHidden,
        routeRole: i.routeRole,
        reports: (reportsOf.get(i.id) ?? []).slice(0, REPORTS_PER_ITEM).map((r) => ({
          id: r.id,
          reason: r.reason,
          note: r.note,
          reporter: r.reporterId ? (people.get(r.reporterId) ?? null) : null,
          source: r.reporterId ? ('member' as const) : ('rule' as const),
          ruleId: r.ruleId,
          createdAt: r.createdAt.toISOString(),
        })),
        claimedBy: i.claimedBy ? (people.get(i.claimedBy) ?? null) : null,
        claimedAt: i.claimedAt?.toISOString() ?? null,
        appeal:
          i.lane === 'appeals'
            ? { text: i.appealText ?? '', appealOfItemId: i.appealOfItemId, sanctionId: i.sanctionId }
            : null,
        decision:
          i.decision && i.decidedAt
            ? {
                action: i.decision,
                reason: i.decisionReason,
                by: i.decidedBy ? (people.get(i.decidedBy) ?? null) : null,
                at: i.decidedAt.toISOString(),
              }
            : null,
        createdAt: i.createdAt.toISOString(),
        updatedAt: i.updatedAt.toISOString(),
      };
    });
  }

  contentView(record: ContentRecord, url: string | null, author: UserRef | null): QueueContentView {
    return {
      id: record.id,
      contentId: record.id,
      type: record.type,
      typeName: this.contents.typeOf(record.type)?.displayName ?? record.type,
      status: record.status,
      title: record.title,
      excerpt: record.excerpt,
      statusReason: record.statusReason,
      url,
      spaceId: record.spaceId,
      author,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      editedAt: record.editedAt?.toISOString() ?? null,
    };
  }

  /** One item in context, for a moderator who may act on it. */
  async detail(user: SignedInUser, id: string): Promise<QueueItemDetail> {
    const item = await this.find(id);
    await this.assertMayAct(user, item);
    const [view] = await this.describe([item]);
    const notes = await this.db
      .repository(ModerationNote)
      .find({ where: { itemId: id }, order: { createdAt: 'ASC' }, take: 200 });
    const people = await this.users.findByIds(notes.map((n) => n.authorId));
    const appealed = item.appealOfItemId
      ? await this.db.repository(ModerationItem).findOneBy({ id: item.appealOfItemId })
      : null;
    return {
      ...view,
      notes: notes.map((n) => ({
        id: n.id,
        author: people.get(n.authorId) ?? null,
        text: n.text,
        createdAt: n.createdAt.toISOString(),
      })),
      history: await this.historyOf(item.authorId),
      appealOf: appealed ? (await this.describe([appealed]))[0] : null,
    };
  }

  /** What moderators decided about a person before, and how much content they have. */
  async historyOf(authorId: string): Promise<AuthorHistory> {
    const statuses: ContentStatus[] = ['published', 'pending', 'hidden', 'deleted'];
    const content = {} as Record<ContentStatus, number>;
    // Bounded: a prolific author's counts stop at HISTORY_COUNT_CAP (an index range each, not the table).
    for (const status of statuses)
      content[status] = await this.contents.countByAuthor(authorId, { statuses: [status], upTo: HISTORY_COUNT_CAP });
    const grouped = (await this.db
      .repository(ModerationItem)
      .createQueryBuilder('i')
      .select('i.decision', 'decision')
      .addSelect('COUNT(*)', 'n')
      .where('i.author_id = :authorId', { authorId })
      .andWhere("i.status = 'decided'")
      .groupBy('i.decision')
      .getRawMany()) as Array<{ decision: DecisionAction; n: string | number }>;
    const recent = await this.db.repository(ModerationItem).find({
      where: { authorId, status: 'decided' },
      order: { decidedAt: 'DESC' },
      take: 10,
    });
    return {
      author: await this.users.findById(authorId),
      content,
      decisions: Object.fromEntries(grouped.map((g) => [g.decision, Number(g.n)])),
      recent: recent.map((i) => ({
        itemId: i.id,
        lane: i.lane,
        action: i.decision,
        reason: i.decisionReason,
        contentId: i.contentId,
        at: i.decidedAt?.toISOString() ?? null,
      })),
      sanctions: await this.sanctions.describe((await this.sanctions.of(authorId)).slice(0, 10)),
    };
  }

  // ----- claims and notes

  async claim(user: SignedInUser, id: string): Promise<QueueItemView> {
    const item = await this.find(id);
    await this.assertMayAct(user, item);
    if (item.status !== 'open') throw new ConflictException('This item was already decided');
    const now = this.clock.now();
    const result = await this.db
      .repository(ModerationItem)
      .createQueryBuilder()
      .update()
      .set({ claimedBy: user.id, claimedAt: now, updatedAt: now })
      .where('id = :id AND status = :open AND (claimed_by IS NULL OR claimed_by = :me)', {
        id,
        open: 'open',
        me: user.id,
      })
      .execute();
    if (!result.affected) {
      const current = await this.find(id);
      if (current.status !== 'open') throw new ConflictException('This item was already decided');
      const claimer = current.claimedBy ? await this.users.findById(current.claimedBy) : null;
      throw new Conflict(`${claimer?.displayName ?? 'Another moderator'} has claimed this item`, {
        claimedBy: claimer,
      });
    }
    await this.log.record({
      actor: user,
      actorRole: await this.scope.roleOf(user),
      action: 'item.claimed',
      itemId: id,
      contentId: item.contentId,
      userId: item.authorId,
      spaceId: item.spaceId,
    });
    return (await this.describe([await this.find(id)]))[0];
  }

  /** Releases a claim: the claimer's own, or anyone's for a global reviewer. */
  async unclaim(user: SignedInUser, id: string): Promise<QueueItemView> {
    const item = await this.find(id);
    await this.assertMayAct(user, item);
    if (item.status !== 'open') throw new ConflictException('This item was already decided');
    if (
      item.claimedBy &&
      item.claimedBy !== user.id &&
      !(await this.scope.can(user, moderationPermissions.review, null))
    ) {
      throw new ForbiddenException('Only the moderator who claimed this item (or a global moderator) can release it');
    }
    if (item.claimedBy) {
      await this.db
        .repository(ModerationItem)
        .update({ id, status: 'open' }, { claimedBy: null, claimedAt: null, updatedAt: this.clock.now() });
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'item.unclaimed',
        itemId: id,
        contentId: item.contentId,
        userId: item.authorId,
        spaceId: item.spaceId,
      });
    }
    return (await this.describe([await this.find(id)]))[0];
  }

  async addNote(
    user: SignedInUser,
    id: string,
    text: string,
  ): Promise<{ id: string; author: UserRef; text: string; createdAt: string }> {
    const item = await this.find(id);
    await this.assertMayAct(user, item);
    const body = typeof text === 'string' ? text.trim() : '';
    if (!body) throw new InvalidInput([{ field: 'text', message: 'must not be empty' }]);
    if ([...body].length > 2000)
      throw new InvalidInput([{ field: 'text', message: 'must be at most 2000 characters' }]);
    const note: ModerationNote = {
      id: randomUUID(),
      itemId: id,
      authorId: user.id,
      text: body,
      createdAt: this.clock.now(),
    };
    await this.db.transaction(async () => {
      await this.db.repository(ModerationNote).insert(note);
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'item.noted',
        itemId: id,
        contentId: item.contentId,
        userId: item.authorId,
        spaceId: item.spaceId,
      });
    });
    return {
      id: note.id,
      author: { id: user.id, handle: user.handle, displayName: user.displayName },
      text: body,
      createdAt: note.createdAt.toISOString(),
    };
  }

  /** Items of a content the content's author may appeal: decided hide or delete, newest first. */
  async lastDecisionAgainst(contentId: string): Promise<ModerationItem | null> {
    return this.db.repository(ModerationItem).findOne({
      where: [
        { contentId, status: 'decided', decision: 'hide', appealKey: IsNull() },
        { contentId, status: 'decided', decision: 'delete', appealKey: IsNull() },
      ],
      order: { decidedAt: 'DESC' },
    });
  }
}
