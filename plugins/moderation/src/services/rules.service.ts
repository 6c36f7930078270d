import { randomUUID } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import {
  Clock,
  Contents,
  Database,
  EventBus,
  InvalidInput,
  Spaces,
  Users,
  type ContentStatus,
  type FieldProblem,
  type SignedInUser,
  type UserRef,
} from '@plein/sdk';
import { ModerationRule, type RuleAction, type RuleMatch } from '../entities/moderation-rule.entity';
import { moderationRuleChanged } from '../events';
import { moderationPermissions } from '../permissions';
import { ModerationConfig } from './moderation-config.service';
import { ModerationLog } from './moderation-log.service';
import { ModerationScope, type Scope } from './moderation-scope.service';
import { normalizeWord, patternProblem, RuleMatcher, type MatchableRule } from './rule-matcher';

export const RULE_MATCHES: readonly RuleMatch[] = ['word', 'regex'];
export const RULE_ACTIONS: readonly RuleAction[] = ['hold', 'reject', 'flag', 'censor'];
const ROLE_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;

/** A rule as submitted (API body or form). */
export interface RuleInput {
  pattern: string;
  match: RuleMatch;
  action: RuleAction;
  spaceId?: string | null;
  note?: string | null;
  replacement?: string | null;
  message?: string | null;
  routeRole?: string | null;
  activeFrom?: string | null;
  activeUntil?: string | null;
  enabled?: boolean;
}

export interface RuleView {
  id: string;
  pattern: string;
  match: RuleMatch;
  action: RuleAction;
  replacement: string | null;
  message: string | null;
  spaceId: string | null;
  routeRole: string | null;
  activeFrom: string | null;
  activeUntil: string | null;
  enabled: boolean;
  /** `active` now, `scheduled` (its period has not begun), `ended` (its period is over), `disabled`. */
  state: 'active' | 'scheduled' | 'ended' | 'disabled';
  note: string | null;
  createdBy: UserRef | null;
  createdAt: string;
  updatedAt: string;
}

/** What a rule would have matched. */
export interface DryRun {
  days: number;
  scanned: number;
  matched: number;
  byStatus: Partial<Record<ContentStatus, number>>;
  byType: Record<string, number>;
  /** Texts the time limit stopped before they were checked. */
  unchecked: number;
  /** The scan stopped early (too many items, or its time budget ran out). */
  truncated: boolean;
  examples: Array<{
    contentId: string;
    type: string;
    typeName: string;
    status: ContentStatus;
    title: string | null;
    snippet: string;
    matched: string;
    url: string | null;
    createdAt: string;
  }>;
}

/** The compiled rule set of one version. */
export interface CompiledRules {
  version: number;
  matcher: RuleMatcher;
}

const DRY_RUN_MAX_ITEMS = 200_000;
const DRY_RUN_BUDGET_MS = 10_000;
const DRY_RUN_BATCH = 200;
const DRY_RUN_EXAMPLES = 10;
/** A replaced matcher keeps its worker this long for checks that already hold it. */
const RETIRE_AFTER_MS = 10_000;

function toMatchable(rule: ModerationRule): MatchableRule {
  return {
    id: rule.id,
    match: rule.match,
    pattern: rule.match === 'word' ? normalizeWord(rule.pattern) : rule.pattern,
    action: rule.action,
    spaceId: rule.spaceId,
    activeFrom: rule.activeFrom?.getTime() ?? null,
    activeUntil: rule.activeUntil?.getTime() ?? null,
    routeRole: rule.routeRole,
    replacement: rule.replacement,
    message: rule.message,
  };
}

function optionalText(value: unknown, field: string, max: number, problems: FieldProblem[]): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    problems.push({ field, message: 'must be text' });
    return null;
  }
  const trimmed = value.trim();
  if ([...trimmed].length > max) problems.push({ field, message: `must be at most ${max} characters` });
  return trimmed || null;
}

function optionalDate(value: unknown, field: string, problems: FieldProblem[]): Date | null {
  if (value === undefined || value === null || value === '') return null;
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) {
    problems.push({ field, message: 'must be a date and time (ISO 8601)' });
    return null;
  }
  return date;
}

/**
 * Watched words and topics: stored rules, the compiled set the gate uses (recompiled once per
 * change: the `rules` version in `moderation_state`, read on every check, tells every instance),
 * and dry runs over recent content.
 */
@Injectable()
export class RulesService {
  private compiled: CompiledRules | null = null;
  private compiling: { version: number; promise: Promise<CompiledRules> } | null = null;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly spaces: Spaces,
    private readonly users: Users,
    private readonly events: EventBus,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly config: ModerationConfig,
  ) {}

  // ----- the compiled set

  /** The compiled enabled rules of a version (compiled once per version and instance; the current one when absent). */
  async current(known?: number): Promise<CompiledRules> {
    const version = known ?? (await this.config.versions()).rules;
    if (this.compiled?.version === version) return this.compiled;
    if (this.compiling?.version !== version) {
      const promise = (async () => {
        const rows = await this.db.repository(ModerationRule).find({ where: { enabled: true } });
        const matcher = new RuleMatcher(rows.map(toMatchable));
        await matcher.ready();
        return { version, matcher };
      })();
      this.compiling = { version, promise };
      promise.catch(() => {
        if (this.compiling?.promise === promise) this.compiling = null;
      });
    }
    const compiled = await this.compiling!.promise;
    if (!this.compiled || this.compiled.version < compiled.version) {
      const retired = this.compiled;
      this.compiled = compiled;
      if (retired) setTimeout(() => retired.matcher.dispose(), RETIRE_AFTER_MS).unref();
    }
    return compiled;
  }

  /** Stops the regex workers (plugin shutdown). */
  dispose(): void {
    this.compiled?.matcher.dispose();
    this.compiled = null;
  }

  // ----- validation

  private async resolveSpace(ref: string | null | undefined): Promise<string | null> {
    if (ref === undefined || ref === null || ref === '') return null;
    const space = await this.spaces.find(ref);
    if (!space) throw new InvalidInput([{ field: 'spaceId', message: `no space '${ref}'` }]);
    return space.id;
  }

  /** The rule's fields checked; a 422 naming each wrong field. */
  private checked(input: RuleInput, previous: ModerationRule | null) {
    const problems: FieldProblem[] = [];
    const match = (input.match ?? previous?.match) as RuleMatch;
    const action = (input.action ?? previous?.action) as RuleAction;
    const pattern = (input.pattern ?? previous?.pattern) as string;
    if (!RULE_MATCHES.includes(match)) problems.push({ field: 'match', message: "must be 'word' or 'regex'" });
    if (!RULE_ACTIONS.includes(action))
      problems.push({ field: 'action', message: "must be 'hold', 'reject', 'flag' or 'censor'" });
    if (RULE_MATCHES.includes(match)) {
      const problem = patternProblem(match, pattern);
      if (problem) problems.push({ field: 'pattern', message: problem });
    }
    // A field absent from a change keeps its value; present (null or '' included), it replaces it.
    const given = (key: keyof RuleInput) => input[key] !== undefined;
    const note = optionalText(given('note') ? input.note : previous?.note, 'note', 500, problems);
    const message = optionalText(given('message') ? input.message : previous?.message, 'message', 500, problems);
    const replacement = optionalText(
      given('replacement') ? input.replacement : previous?.replacement,
      'replacement',
      100,
      problems,
    );
    const routeRole = optionalText(
      given('routeRole') ? input.routeRole : previous?.routeRole,
      'routeRole',
      32,
      problems,
    );
    if (routeRole && !ROLE_PATTERN.test(routeRole))
      problems.push({ field: 'routeRole', message: 'must be the name of a role' });
    const activeFrom = given('activeFrom')
      ? optionalDate(input.activeFrom, 'activeFrom', problems)
      : (previous?.activeFrom ?? null);
    const activeUntil = given('activeUntil')
      ? optionalDate(input.activeUntil, 'activeUntil', problems)
      : (previous?.activeUntil ?? null);
    if (activeFrom && activeUntil && activeUntil <= activeFrom)
      problems.push({ field: 'activeUntil', message: 'must be after activeFrom' });
    if (input.enabled !== undefined && typeof input.enabled !== 'boolean')
      problems.push({ field: 'enabled', message: 'must be true or false' });
    if (problems.length) throw new InvalidInput(problems);
    return {
      match,
      action,
      pattern: match === 'word' ? normalizeWord(pattern) : pattern,
      note,
      message,
      replacement: action === 'censor' ? replacement : null,
      routeRole,
      activeFrom,
      activeUntil,
      enabled: input.enabled ?? previous?.enabled ?? true,
    };
  }

  private async bump(): Promise<void> {
    await this.config.bump('rules');
  }

  // ----- changes

  async create(user: SignedInUser, input: RuleInput): Promise<RuleView> {
    const fields = this.checked(input, null);
    const spaceId = await this.resolveSpace(input.spaceId);
    await this.scope.assert(user, moderationPermissions.rules, spaceId, 'This rule');
    const now = this.clock.now();
    const rule: ModerationRule = {
      id: randomUUID(),
      ...fields,
      spaceId,
      createdBy: user.id,
      createdAt: now,
      updatedAt: now,
    };
    await this.db.transaction(async () => {
      await this.db.repository(ModerationRule).insert(rule);
      await this.bump();
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'rule.created',
        spaceId,
        reason: rule.note,
        details: this.summary(rule),
      });
      await this.events.publish(moderationRuleChanged, { ruleId: rule.id, change: 'created' });
    });
    return (await this.describe([rule]))[0];
  }

  async update(user: SignedInUser, id: string, input: Partial<RuleInput>): Promise<RuleView> {
    const previous = await this.find(user, id);
    const fields = this.checked(input as RuleInput, previous);
    const spaceId = input.spaceId !== undefined ? await this.resolveSpace(input.spaceId) : previous.spaceId;
    if (spaceId !== previous.spaceId) await this.scope.assert(user, moderationPermissions.rules, spaceId, 'This rule');
    const rule: ModerationRule = { ...previous, ...fields, spaceId, updatedAt: this.clock.now() };
    await this.db.transaction(async () => {
      await this.db.repository(ModerationRule).save(rule);
      await this.bump();
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'rule.updated',
        spaceId,
        reason: rule.note,
        details: this.summary(rule),
      });
      await this.events.publish(moderationRuleChanged, { ruleId: rule.id, change: 'updated' });
    });
    return (await this.describe([rule]))[0];
  }

  async remove(user: SignedInUser, id: string): Promise<void> {
    const rule = await this.find(user, id);
    await this.db.transaction(async () => {
      await this.db.repository(ModerationRule).delete({ id });
      await this.bump();
      await this.log.record({
        actor: user,
        actorRole: await this.scope.roleOf(user),
        action: 'rule.deleted',
        spaceId: rule.spaceId,
        details: this.summary(rule),
      });
      await this.events.publish(moderationRuleChanged, { ruleId: id, change: 'deleted' });
    });
  }

  private summary(rule: ModerationRule): Record<string, unknown> {
    return {
      ruleId: rule.id,
      pattern: rule.pattern,
      match: rule.match,
      action: rule.action,
      enabled: rule.enabled,
      ...(rule.routeRole ? { routeRole: rule.routeRole } : {}),
      ...(rule.activeFrom ? { activeFrom: rule.activeFrom.toISOString() } : {}),
      ...(rule.activeUntil ? { activeUntil: rule.activeUntil.toISOString() } : {}),
    };
  }

  // ----- reading

  /** One rule `user` may manage: 404 when there is none, 403 when it is in a space they do not moderate. */
  async find(user: SignedInUser, id: string): Promise<ModerationRule> {
    const rule = await this.db.repository(ModerationRule).findOneBy({ id });
    if (!rule) throw new NotFoundException(`No rule with the id '${id}'`);
    await this.scope.assert(user, moderationPermissions.rules, rule.spaceId, 'This rule');
    return rule;
  }

  /** Newest first; a space moderator sees their spaces' rules. */
  async list(
    scope: Scope,
    spaceRef: string | undefined,
    limit: number,
    cursor: { at: string; id: string } | null,
  ): Promise<{ rows: ModerationRule[]; next: { at: string; id: string } | null }> {
    const qb = this.db.repository(ModerationRule).createQueryBuilder('r');
    const spaceId = spaceRef ? await this.resolveSpace(spaceRef) : null;
    if (spaceId) qb.where('r.space_id = :spaceId', { spaceId });
    if (!scope.global)
      qb.andWhere('r.space_id IN (:...spaces)', { spaces: scope.spaceIds.length ? scope.spaceIds : [''] });
    if (cursor) {
      const at = new Date(String(cursor.at));
      if (Number.isNaN(at.getTime()))
        throw new InvalidInput([{ field: 'cursor', message: 'is not a cursor this list gave out' }]);
      qb.andWhere('r.created_at <= :at AND (r.created_at < :at OR r.id < :id)', { at, id: String(cursor.id) });
    }
    const rows = await qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { rows: page, next: rows.length > limit && last ? { at: last.createdAt.toISOString(), id: last.id } : null };
  }

  async describe(rules: readonly ModerationRule[]): Promise<RuleView[]> {
    const people = await this.users.findByIds(rules.map((r) => r.createdBy));
    const now = this.clock.now().getTime();
    return rules.map((r) => ({
      id: r.id,
      pattern: r.pattern,
      match: r.match,
      action: r.action,
      replacement: r.replacement,
      message: r.message,
      spaceId: r.spaceId,
      routeRole: r.routeRole,
      activeFrom: r.activeFrom?.toISOString() ?? null,
      activeUntil: r.activeUntil?.toISOString() ?? null,
      enabled: r.enabled,
      state: !r.enabled
        ? 'disabled'
        : r.activeFrom && now < r.activeFrom.getTime()
          ? 'scheduled'
          : r.activeUntil && now >= r.activeUntil.getTime()
            ? 'ended'
            : 'active',
      note: r.note,
      createdBy: people.get(r.createdBy) ?? null,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    }));
  }

  // ----- dry run

  /**
   * What a rule would have matched in the last `days` days: counts by status and type, and the
   * newest examples `user` may see. Regular expressions run with the same time limit as in the
   * gate, per batch of texts; the scan stops after 200,000 items or 10 seconds.
   */
  async dryRun(
    user: SignedInUser,
    input: { pattern: string; match: RuleMatch; spaceId?: string | null },
    days: number,
  ): Promise<DryRun> {
    const problems: FieldProblem[] = [];
    if (!RULE_MATCHES.includes(input.match)) problems.push({ field: 'match', message: "must be 'word' or 'regex'" });
    else {
      const problem = patternProblem(input.match, input.pattern);
      if (problem) problems.push({ field: 'pattern', message: problem });
    }
    if (problems.length) throw new InvalidInput(problems);
    const spaceId = await this.resolveSpace(input.spaceId);
    await this.scope.assert(user, moderationPermissions.rules, spaceId, 'This rule');
    const rule: MatchableRule = {
      id: 'dry-run',
      match: input.match,
      pattern: input.match === 'word' ? normalizeWord(input.pattern) : input.pattern,
      action: 'flag',
      spaceId: null,
      activeFrom: null,
      activeUntil: null,
      routeRole: null,
      replacement: null,
      message: null,
    };
    const matcher = new RuleMatcher([rule]);
    const result: DryRun = {
      days,
      scanned: 0,
      matched: 0,
      byStatus: {},
      byType: {},
      unchecked: 0,
      truncated: false,
      examples: [],
    };
    const candidates: Array<{
      item: { id: string; type: string; status: ContentStatus; title: string | null; createdAt: Date };
      matched: string;
      snippet: string;
    }> = [];
    const started = performance.now();
    try {
      let batch: Array<{
        id: string;
        type: string;
        status: ContentStatus;
        title: string | null;
        createdAt: Date;
        text: string;
      }> = [];
      const flush = async () => {
        if (!batch.length) return;
        await matcher.ready();
        const outcomes = matcher.scan(
          batch.map((b) => b.text),
          2000,
        );
        batch.forEach((item, i) => {
          const outcome = outcomes[i];
          if (outcome.timedOut && outcome.hits.length === 0) {
            result.unchecked++;
            return;
          }
          const hit = outcome.hits[0];
          if (!hit) return;
          result.matched++;
          result.byStatus[item.status] = (result.byStatus[item.status] ?? 0) + 1;
          result.byType[item.type] = (result.byType[item.type] ?? 0) + 1;
          if (candidates.length < DRY_RUN_EXAMPLES * 5) {
            const from = Math.max(0, hit.index - 60);
            const to = Math.min(item.text.length, hit.index + hit.matched.length + 60);
            const snippet = `${from > 0 ? '…' : ''}${item.text.slice(from, to).replace(/\s+/g, ' ').trim()}${to < item.text.length ? '…' : ''}`;
            candidates.push({ item, matched: hit.matched, snippet });
          }
        });
        batch = [];
      };
      for await (const item of this.contents.scan({
        since: new Date(this.clock.now().getTime() - days * 86_400_000),
        ...(spaceId ? { spaceId } : {}),
      })) {
        result.scanned++;
        batch.push(item);
        if (batch.length >= DRY_RUN_BATCH) await flush();
        if (result.scanned >= DRY_RUN_MAX_ITEMS || performance.now() - started > DRY_RUN_BUDGET_MS) {
          result.truncated = true;
          break;
        }
      }
      await flush();
    } finally {
      matcher.dispose();
    }
    // The newest examples this moderator may open (a private space they are not in stays out).
    candidates.sort((a, b) => b.item.createdAt.getTime() - a.item.createdAt.getTime());
    const visible: typeof candidates = [];
    for (const c of candidates) {
      if (visible.length >= DRY_RUN_EXAMPLES) break;
      const seen = await this.contents.getVisible(user, c.item.id).then(
        () => true,
        () => false,
      );
      if (seen) visible.push(c);
    }
    const urls = await this.contents.urlsOf(visible.map((c) => c.item.id));
    result.examples = visible.map((c) => ({
      contentId: c.item.id,
      type: c.item.type,
      typeName: this.contents.typeOf(c.item.type)?.displayName ?? c.item.type,
      status: c.item.status,
      title: c.item.title,
      snippet: c.snippet,
      matched: c.matched,
      url: urls.get(c.item.id) ?? null,
      createdAt: c.item.createdAt.toISOString(),
    }));
    return result;
  }
}
