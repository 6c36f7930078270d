import { Body, HttpCode, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  redirect,
  Render,
  RequirePermission,
  Settings,
  Spaces,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import type { ModerationRule, RuleAction, RuleMatch } from '../entities/moderation-rule.entity';
import { moderationPermissions } from '../permissions';
import { ModerationScope } from '../services/moderation-scope.service';
import { RULE_ACTIONS, RULE_MATCHES, RulesService, type DryRun, type RuleInput } from '../services/rules.service';
import type { ModerationSettings } from '../settings';
import { ModerationPageData } from './moderation-page-data';
import {
  dateField,
  emptyForm,
  formFromError,
  formValues,
  localField,
  signedIn,
  type PageForm,
  type ReplyLike,
} from './page-support';

const FIELDS = [
  'pattern',
  'match',
  'action',
  'spaceId',
  'replacement',
  'message',
  'routeRole',
  'activeFrom',
  'activeUntil',
  'note',
  'enabled',
  'intent',
] as const;

/** A rule form's values as the service takes them. */
function inputOf(values: Record<string, string>): RuleInput {
  return {
    pattern: values.pattern ?? '',
    match: (values.match ?? 'word') as RuleMatch,
    action: (values.action ?? 'hold') as RuleAction,
    spaceId: values.spaceId || null,
    replacement: values.replacement || null,
    message: values.message || null,
    routeRole: values.routeRole || null,
    activeFrom: dateField(values.activeFrom),
    activeUntil: dateField(values.activeUntil),
    note: values.note || null,
    enabled: values.enabled === 'on',
  };
}

/** A stored rule as form values. */
function valuesOf(rule: ModerationRule): Record<string, string> {
  return {
    pattern: rule.pattern,
    match: rule.match,
    action: rule.action,
    spaceId: rule.spaceId ?? '',
    replacement: rule.replacement ?? '',
    message: rule.message ?? '',
    routeRole: rule.routeRole ?? '',
    activeFrom: localField(rule.activeFrom?.toISOString()),
    activeUntil: localField(rule.activeUntil?.toISOString()),
    note: rule.note ?? '',
    enabled: rule.enabled ? 'on' : '',
  };
}

/**
 * Watched words and topics (`/moderation/rules`): the rules in one's scope, and the editor whose
 * "Dry run" button shows what a rule would have matched in the last 90 days before it is saved
 * or enabled. Times are entered and shown in UTC.
 */
@Controller('rules')
export class RulesPage {
  constructor(
    private readonly rules: RulesService,
    private readonly scope: ModerationScope,
    private readonly chrome: ModerationPageData,
    private readonly settings: Settings,
    private readonly spaces: Spaces,
  ) {}

  @Get()
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/rules')
  async list(@CurrentUser() user: SignedInUser | null, @Query('cursor') cursor?: string): Promise<PageData> {
    return this.listPage(signedIn(user), cursor, emptyForm({ match: 'word', action: 'hold', enabled: 'on' }), null);
  }

  private async listPage(
    user: SignedInUser,
    cursor: string | undefined,
    form: PageForm,
    dryRun: DryRun | null,
  ): Promise<PageData> {
    const scope = await this.scope.require(user, moderationPermissions.rules);
    const { rows, next } = await this.rules.list(
      scope,
      undefined,
      50,
      decodeCursor<{ at: string; id: string }>(cursor),
    );
    const views = await this.rules.describe(rows);
    const names = new Map<string, string>();
    for (const r of views)
      if (r.spaceId && !names.has(r.spaceId))
        names.set(r.spaceId, (await this.spaces.find(r.spaceId))?.name ?? r.spaceId);
    return {
      title: 'moderation.rules.title',
      tab: 'rules',
      tabs: await this.chrome.tabs(user),
      rules: views.map((r) => ({ ...r, spaceName: r.spaceId ? names.get(r.spaceId) : null })),
      nextUrl: next ? `/moderation/rules?cursor=${encodeURIComponent(encodeCursor(next))}` : null,
      ...(await this.editor(scope.global, scope.spaceIds, form, dryRun)),
      action: '/moderation/rules',
    };
  }

  /** What the rule editor needs: choices, the spaces one may scope a rule to, the dry run. */
  private async editor(global: boolean, spaceIds: string[], form: PageForm, dryRun: DryRun | null) {
    const { dryRunDays } = await this.settings.get<ModerationSettings>();
    const spaces = await this.chrome.spacesOf({ global, spaceIds });
    const value = (k: string) => String(form.values[k] ?? '');
    return {
      form,
      matches: RULE_MATCHES.map((m) => ({ value: m, checked: value('match') === m })),
      actions: RULE_ACTIONS.map((a) => ({ value: a, checked: value('action') === a })),
      spaceChoices: global ? null : spaces.map((s) => ({ ...s, selected: value('spaceId') === s.id })),
      dryRun,
      dryRunDays,
    };
  }

  /** The editor's two buttons: `intent=dry-run` shows what it would match; `intent=save` stores it. */
  @Post()
  @HttpCode(200)
  @RequirePermission(moderationPermissions.rules, { space: 'body.spaceId' })
  @Render('moderation/rules')
  async create(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, FIELDS);
    try {
      if (values.intent === 'dry-run') {
        const { dryRunDays } = await this.settings.get<ModerationSettings>();
        const dryRun = await this.rules.dryRun(viewer, inputOf(values), dryRunDays);
        return this.listPage(viewer, undefined, emptyForm(values), dryRun);
      }
      await this.rules.create(viewer, inputOf(values));
      return redirect('/moderation/rules', { kind: 'success', message: 'moderation.flash.ruleSaved' });
    } catch (error) {
      const form = formFromError(error, values);
      if (!form) throw error;
      reply.status(422);
      return this.listPage(viewer, undefined, form, null);
    }
  }

  @Get(':id')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/rule')
  async edit(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedIn(user);
    const rule = await this.rules.find(viewer, id);
    return this.rulePage(viewer, rule, emptyForm(valuesOf(rule)), null);
  }

  private async rulePage(
    user: SignedInUser,
    rule: ModerationRule,
    form: PageForm,
    dryRun: DryRun | null,
  ): Promise<PageData> {
    const scope = await this.scope.require(user, moderationPermissions.rules);
    const [view] = await this.rules.describe([rule]);
    return {
      title: 'moderation.rule.title',
      tab: 'rules',
      tabs: await this.chrome.tabs(user),
      rule: view,
      ...(await this.editor(scope.global, scope.spaceIds, form, dryRun)),
      action: `/moderation/rules/${rule.id}`,
    };
  }

  /** `intent`: `save`, `dry-run`, `enable`, `disable` or `delete`. */
  @Post(':id')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/rule')
  async change(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const rule = await this.rules.find(viewer, id);
    const values = formValues(body, FIELDS);
    try {
      switch (values.intent) {
        case 'delete':
          await this.rules.remove(viewer, id);
          return redirect('/moderation/rules', { kind: 'success', message: 'moderation.flash.ruleDeleted' });
        case 'enable':
        case 'disable':
          await this.rules.update(viewer, id, { enabled: values.intent === 'enable' });
          return redirect('/moderation/rules', {
            kind: 'success',
            message: `moderation.flash.rule${values.intent === 'enable' ? 'Enabled' : 'Disabled'}`,
          });
        case 'dry-run': {
          const { dryRunDays } = await this.settings.get<ModerationSettings>();
          return this.rulePage(
            viewer,
            rule,
            emptyForm(values),
            await this.rules.dryRun(viewer, inputOf(values), dryRunDays),
          );
        }
        default:
          await this.rules.update(viewer, id, inputOf(values));
          return redirect('/moderation/rules', { kind: 'success', message: 'moderation.flash.ruleSaved' });
      }
    } catch (error) {
      const form = formFromError(error, values);
      if (!form) throw error;
      reply.status(422);
      return this.rulePage(viewer, rule, form, null);
    }
  }
}
