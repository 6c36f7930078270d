import { Injectable } from '@nestjs/common';
import { Clock, Contents, Database, type ContentGate, type GateDecision, type GateInput } from '@plein/sdk';
import type { ModerationSanction } from '../entities/moderation-sanction.entity';
import type { SanctionKind } from '../events';
import { ModerationConfig, readTime, type Counter } from './moderation-config.service';
import { ModerationLog } from './moderation-log.service';
import { QueueService } from './queue.service';
import { applies, censor, type RuleHit } from './rule-matcher';
import { RulesService } from './rules.service';
import { restricts } from './sanctions.service';
import { SpaceSettingsService } from './space-settings.service';

/** What the gate reads about one submission (see ModerationGate.state). */
interface GateState {
  versions: Record<Counter, number>;
  sanctions: Array<Pick<ModerationSanction, 'kind' | 'reason' | 'endsAt' | 'endedAt'>>;
  space: { premoderated: boolean; slowModeSeconds: number } | null;
  lastPost: Date | null;
}

/** A date as the author reads it in a refusal: `2030-01-31 17:00 UTC`. */
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The moderation gate every submission and edit of every plugin passes (registered in the
 * plugin's `init`). In order: a silence or suspension refuses (with its reason and end); slow mode
 * refuses a new post that comes too soon; watched words and topics reject, hold, flag or censor;
 * a pre-moderated space holds new posts; the first posts of a new account are held. What it holds
 * or flags enters the queue in the submitting transaction, keyed by the record's id.
 *
 * Cost per submission: one raw statement (the version counters, by which compiled rules and settings
 * are cached; the author's open sanctions; for content in a space its settings and the author's
 * last post there), and one more when new accounts are held. The rules run in memory.
 */
@Injectable()
export class ModerationGate implements ContentGate {
  readonly name = 'moderation';

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly config: ModerationConfig,
    private readonly rules: RulesService,
    private readonly spaces: SpaceSettingsService,
    private readonly queue: QueueService,
    private readonly log: ModerationLog,
  ) {}

  async check(input: GateInput): Promise<GateDecision> {
    const now = this.clock.now();
    const isNew = input.contentId === null;
    const spaceId = input.spaceId ?? null;

    const state = await this.state(input.authorId, spaceId);
    const restriction = state.sanctions
      .filter((sanction) => restricts(sanction, now))
      .sort((a, b) => (a.endsAt === null ? -1 : b.endsAt === null ? 1 : b.endsAt.getTime() - a.endsAt.getTime()))[0];
    if (restriction) {
      const what = restriction.kind === 'suspend' ? 'Your account is suspended' : 'You are silenced';
      const until = restriction.endsAt ? ` until ${when(restriction.endsAt)}` : '';
      return { action: 'reject', reason: `${what}${until}: ${restriction.reason}` };
    }

    const space = state.space;
    if (isNew && spaceId && space && space.slowModeSeconds > 0) {
      const last = state.lastPost;
      const wait = last ? Math.ceil((last.getTime() + space.slowModeSeconds * 1000 - now.getTime()) / 1000) : 0;
      if (wait > 0) {
        return {
          action: 'reject',
          reason: `Slow mode: one post every ${space.slowModeSeconds} seconds in this space. Try again in ${wait} seconds.`,
        };
      }
    }

    const versions = state.versions;
    const settings = await this.config.settings(versions.settings);
    const outcomes = await this.match([input.text, input.title ?? ''], settings.regexTimeoutMs, versions.rules);
    const at = now.getTime();
    const inForce = (hits: RuleHit[]) => hits.filter((h) => applies(h.rule, spaceId, at));
    const textHits = inForce(outcomes[0].hits);
    const titleHits = inForce(outcomes[1].hits);
    const hits = [...textHits, ...titleHits];
    const timedOut = outcomes.some((o) => o.timedOut);

    const rejecting = hits.find((h) => h.rule.action === 'reject');
    if (rejecting)
      return { action: 'reject', reason: rejecting.rule.message ?? `“${rejecting.matched}” is not allowed here` };

    const holding = hits.find((h) => h.rule.action === 'hold');
    let hold: { reason: string; ruleId: string | null; routeRole: string | null } | null = holding
      ? {
          reason: holding.rule.message ?? 'This mentions a topic moderators review before it appears',
          ruleId: holding.rule.id,
          routeRole: holding.rule.routeRole,
        }
      : null;
    if (!hold && timedOut)
      hold = { reason: 'Held for review: the watched-topics check took too long', ruleId: null, routeRole: null };
    if (!hold && isNew && space?.premoderated) {
      hold = { reason: 'Posts in this space are reviewed before they appear', ruleId: null, routeRole: null };
    }
    if (!hold && isNew && settings.newAccountHoldCount > 0) {
      const n = settings.newAccountHoldCount;
      const approved = await this.contents.countByAuthor(input.authorId, { statuses: ['published'], upTo: n });
      if (approved < n)
        hold = {
          reason: `The first ${n} posts of a new account are reviewed before they appear`,
          ruleId: null,
          routeRole: null,
        };
    }

    const text = censor(input.text, textHits);
    const title = input.title ? censor(input.title, titleHits) : input.title;
    const censored = text !== input.text || title !== input.title;

    // Side effects in the submitting transaction: gone with it if the submission fails.
    if (isNew && spaceId && space && space.slowModeSeconds > 0)
      await this.spaces.recordPost(spaceId, input.authorId, now);
    const recordId = input.recordId ?? input.contentId;
    if (recordId) {
      const subject = { contentId: recordId, type: input.type, spaceId, authorId: input.authorId };
      if (hold) await this.queue.openHeld(subject, hold);
      const flags = [...new Map(hits.filter((h) => h.rule.action === 'flag').map((h) => [h.rule.id, h])).values()];
      if (flags.length && !hold) {
        await this.queue.flag(
          subject,
          flags.map((h) => ({ ruleId: h.rule.id, matched: h.matched, routeRole: h.rule.routeRole })),
        );
      }
      if (censored) {
        await this.log.record({
          actor: null,
          actorRole: 'system',
          action: 'content.censored',
          contentId: recordId,
          userId: input.authorId,
          spaceId,
          details: {
            rules: [...new Set(hits.filter((h) => h.rule.action === 'censor').map((h) => h.rule.id))],
            type: input.type,
          },
        });
      }
    }
    if (hold) return { action: 'hold', reason: hold.reason };
    return censored ? { action: 'publish', text, title } : { action: 'publish' };
  }

  /**
   * Everything the gate reads about a submission in one statement (one round trip to MySQL): the
   * version counters, the author's open sanctions, and for content in a space its settings and
   * when the author last posted there. The columns are text where types differ between the parts.
   */
  private async state(authorId: string, spaceId: string | null): Promise<GateState> {
    const parts = [
      "SELECT 'v' AS k, name AS a, version AS b, NULL AS c FROM moderation_state",
      "SELECT 's' AS k, kind AS a, reason AS b, ends_at AS c FROM moderation_sanction WHERE user_id = ? AND ended_at IS NULL",
    ];
    const params: string[] = [authorId];
    if (spaceId) {
      parts.push(
        "SELECT 'p' AS k, premoderated AS a, slow_mode_seconds AS b, NULL AS c FROM moderation_space WHERE space_id = ?",
      );
      parts.push(
        "SELECT 'l' AS k, NULL AS a, NULL AS b, last_at AS c FROM moderation_pace WHERE space_id = ? AND user_id = ?",
      );
      params.push(spaceId, spaceId, authorId);
    }
    const rows = (await this.db.manager().query(parts.join(' UNION ALL '), params)) as Array<{
      k: string;
      a: string | number | null;
      b: string | number | null;
      c: string | Date | null;
    }>;
    const state: GateState = { versions: { rules: 0, settings: 0 }, sanctions: [], space: null, lastPost: null };
    for (const row of rows) {
      if (row.k === 'v' && (row.a === 'rules' || row.a === 'settings')) state.versions[row.a] = Number(row.b);
      else if (row.k === 's')
        state.sanctions.push({
          kind: row.a as SanctionKind,
          reason: String(row.b),
          endsAt: readTime(row.c),
          endedAt: null,
        });
      else if (row.k === 'p') state.space = { premoderated: Boolean(Number(row.a)), slowModeSeconds: Number(row.b) };
      else if (row.k === 'l') state.lastPost = readTime(row.c);
    }
    return state;
  }

  /** The compiled rules over the texts; a rule set replaced meanwhile is fetched again. */
  private async match(texts: string[], timeoutMs: number, version: number) {
    for (let attempt = 0; ; attempt++) {
      const compiled = await this.rules.current(attempt === 0 ? version : undefined);
      try {
        await compiled.matcher.ready();
      } catch (error) {
        if (attempt < 2) continue;
        throw error;
      }
      return compiled.matcher.scan(texts, timeoutMs);
    }
  }
}
