import { Injectable } from '@nestjs/common';
import { Clock, Contents, type ContentGate, type GateDecision, type GateInput } from '@plein/sdk';
import { ModerationConfig } from './moderation-config.service';
import { ModerationLog } from './moderation-log.service';
import { QueueService } from './queue.service';
import { applies, censor, type RuleHit } from './rule-matcher';
import { RulesService } from './rules.service';
import { SanctionsService } from './sanctions.service';
import { SpaceSettingsService } from './space-settings.service';

/** A date as the author reads it in a refusal: `2030-01-31 17:00 UTC`. */
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The moderation gate every submission and edit of every plugin passes (registered in the
 * plugin's `init`). In order: a silence or suspension refuses (with its reason and end); slow mode
 * refuses a new post that comes too soon; watched words and topics reject, hold, flag or censor;
 * a pre-moderated space holds new posts; the first posts of a new account are held. What it holds
 * or flags enters the queue in the submitting transaction, keyed by the record's id.
 *
 * Cost per submission, in raw reads: the version counters (compiled rules and settings are cached
 * per version), the author's open sanctions, and for content in a space its settings; slow mode
 * and new accounts add one read each when they are on.
 */
@Injectable()
export class ModerationGate implements ContentGate {
  readonly name = 'moderation';

  constructor(
    private readonly clock: Clock,
    private readonly contents: Contents,
    private readonly config: ModerationConfig,
    private readonly rules: RulesService,
    private readonly sanctions: SanctionsService,
    private readonly spaces: SpaceSettingsService,
    private readonly queue: QueueService,
    private readonly log: ModerationLog,
  ) {}

  async check(input: GateInput): Promise<GateDecision> {
    const now = this.clock.now();
    const isNew = input.contentId === null;
    const spaceId = input.spaceId ?? null;

    const restriction = await this.sanctions.restrictionOf(input.authorId, now);
    if (restriction) {
      const what = restriction.kind === 'suspend' ? 'Your account is suspended' : 'You are silenced';
      const until = restriction.endsAt ? ` until ${when(restriction.endsAt)}` : '';
      return { action: 'reject', reason: `${what}${until}: ${restriction.reason}` };
    }

    const space = spaceId ? await this.spaces.get(spaceId) : null;
    if (isNew && space && space.slowModeSeconds > 0) {
      const last = await this.spaces.lastPost(space.spaceId, input.authorId);
      const wait = last ? Math.ceil((last.getTime() + space.slowModeSeconds * 1000 - now.getTime()) / 1000) : 0;
      if (wait > 0) {
        return {
          action: 'reject',
          reason: `Slow mode: one post every ${space.slowModeSeconds} seconds in this space. Try again in ${wait} seconds.`,
        };
      }
    }

    const versions = await this.config.versions();
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
    if (isNew && space && space.slowModeSeconds > 0) await this.spaces.recordPost(space.spaceId, input.authorId, now);
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
