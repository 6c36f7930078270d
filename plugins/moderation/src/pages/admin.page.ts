import { Body, HttpCode, Controller, Get, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InvalidInput,
  redirect,
  Render,
  RequirePermission,
  Settings,
  Spaces,
  Users,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { SANCTION_KINDS, type SanctionKind } from '../events';
import { moderationPermissions } from '../permissions';
import { ModerationConfig } from '../services/moderation-config.service';
import { ModerationLog } from '../services/moderation-log.service';
import { ModerationScope } from '../services/moderation-scope.service';
import { parseLogFilter } from '../services/query-params';
import { SanctionsService } from '../services/sanctions.service';
import { SpaceSettingsService } from '../services/space-settings.service';
import type { ModerationSettings } from '../settings';
import { ModerationPageData } from './moderation-page-data';
import {
  dateField,
  emptyForm,
  formFromError,
  formValues,
  formWith,
  signedIn,
  type PageForm,
  type ReplyLike,
} from './page-support';

/** The actions one can filter the log by. */
const LOG_ACTIONS = [
  'report.created',
  'content.held',
  'content.flagged',
  'content.censored',
  'content.auto-hidden',
  'item.claimed',
  'item.unclaimed',
  'item.noted',
  'item.decided',
  'item.closed',
  'appeal.created',
  'rule.created',
  'rule.updated',
  'rule.deleted',
  'sanction.issued',
  'sanction.lifted',
  'sanction.ended',
  'space.configured',
  'settings.changed',
];

/**
 * Sanctions (`/moderation/sanctions`), the log (`/moderation/log`, with its CSV export), and
 * settings: the intranet's (`/moderation/settings`) and a space's (`/moderation/spaces/<space>`).
 */
@Controller()
export class AdminPage {
  constructor(
    private readonly sanctions: SanctionsService,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly spaceSettings: SpaceSettingsService,
    private readonly settings: Settings,
    private readonly users: Users,
    private readonly spaces: Spaces,
    private readonly chrome: ModerationPageData,
    private readonly config: ModerationConfig,
  ) {}

  // ----- sanctions

  @Get('sanctions')
  @RequirePermission(moderationPermissions.sanction)
  @Render('moderation/sanctions')
  async sanctionsList(
    @CurrentUser() user: SignedInUser | null,
    @Query('user') handle?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    return this.sanctionsPage(signedIn(user), cursor, emptyForm({ handle: handle ?? '', kind: 'warn' }));
  }

  private async sanctionsPage(user: SignedInUser, cursor: string | undefined, form: PageForm): Promise<PageData> {
    const { rows, next } = await this.sanctions.list(false, 30, decodeCursor<{ at: string; id: string }>(cursor));
    return {
      title: 'moderation.sanctions.title',
      tab: 'sanctions',
      tabs: await this.chrome.tabs(user),
      sanctions: await this.sanctions.describe(rows),
      nextUrl: next ? `/moderation/sanctions?cursor=${encodeURIComponent(encodeCursor(next))}` : null,
      kinds: SANCTION_KINDS.map((kind) => ({ kind, checked: form.values.kind === kind })),
      form,
    };
  }

  @Post('sanctions')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.sanction)
  @Render('moderation/sanctions')
  async issue(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['handle', 'kind', 'until', 'reason']);
    try {
      const target = values.handle ? await this.users.findByHandle(values.handle.replace(/^@/, '').trim()) : null;
      if (!target) throw new InvalidInput([{ field: 'handle', message: `no user '${values.handle ?? ''}'` }]);
      await this.sanctions.issue(viewer, target.id, {
        kind: (values.kind ?? '') as SanctionKind,
        until: dateField(values.until),
        reason: values.reason ?? '',
      });
      return redirect('/moderation/sanctions', { kind: 'success', message: 'moderation.flash.sanctioned' });
    } catch (error) {
      const form = formFromError(error, values, { userId: 'handle' });
      if (!form) throw error;
      reply.status(422);
      return this.sanctionsPage(viewer, undefined, form);
    }
  }

  @Post('sanctions/:id/lift')
  @RequirePermission(moderationPermissions.sanction)
  async lift(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const values = formValues(body, ['reason']);
    try {
      await this.sanctions.lift(signedIn(user), id, values.reason ?? '');
      return redirect('/moderation/sanctions', { kind: 'success', message: 'moderation.flash.lifted' });
    } catch (error) {
      if (error instanceof InvalidInput)
        return redirect('/moderation/sanctions', { kind: 'error', message: 'moderation.flash.liftRefused' });
      throw error;
    }
  }

  // ----- the log

  /** Filters by action, actor and person (handles), space, and a period (dates, UTC). */
  @Get('log')
  @RequirePermission(moderationPermissions.report)
  @Render('moderation/log')
  async logPage(
    @CurrentUser() user: SignedInUser | null,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData> {
    const viewer = signedIn(user);
    const scope = await this.scope.require(viewer, moderationPermissions.log);
    const values = formValues(query, ['action', 'actor', 'user', 'spaceId', 'since', 'until']);
    const base = {
      title: 'moderation.log.title',
      tab: 'log',
      tabs: await this.chrome.tabs(viewer),
      actions: LOG_ACTIONS.map((a) => ({ value: a, selected: values.action === a })),
    };
    const spaces = await this.chrome.spacesOf(scope);
    try {
      const ids: Record<string, string> = {};
      for (const [field, key] of [
        ['actor', 'actorId'],
        ['user', 'userId'],
      ] as const) {
        if (!values[field]) continue;
        const person = await this.users.findByHandle(values[field].replace(/^@/, '').trim());
        if (!person) throw new InvalidInput([{ field, message: `no user '${values[field]}'` }]);
        ids[key] = person.id;
      }
      const filter = parseLogFilter({
        ...ids,
        action: values.action,
        spaceId: values.spaceId,
        since: values.since,
        until: values.until,
      });
      const { rows, next } = await this.log.list(
        scope,
        filter,
        50,
        decodeCursor<{ at: string; id: string }>(query.cursor as string | undefined),
      );
      const params = new URLSearchParams(
        Object.entries({
          ...ids,
          action: values.action,
          spaceId: values.spaceId,
          since: values.since,
          until: values.until,
        }).filter((e): e is [string, string] => !!e[1]),
      );
      const pageParams = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => !!e[1]));
      return {
        ...base,
        form: emptyForm(values),
        spaces: spaces.map((s) => ({ ...s, selected: values.spaceId === s.id })),
        entries: await this.log.describe(rows),
        csvUrl: `/api/v1/moderation/log.csv${params.size ? `?${params}` : ''}`,
        nextUrl: next
          ? `/moderation/log?${pageParams}${pageParams.size ? '&' : ''}cursor=${encodeURIComponent(encodeCursor(next))}`
          : null,
      };
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      reply.status(422);
      return { ...base, form: formWith(values, error.errors), spaces, entries: [], csvUrl: null, nextUrl: null };
    }
  }

  // ----- settings

  @Get('settings')
  @RequirePermission(moderationPermissions.settings)
  @Render('moderation/settings')
  async settingsPage(@CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const current = await this.settings.get<ModerationSettings>();
    return this.settingsView(signedIn(user), emptyForm(current as unknown as Record<string, unknown>));
  }

  private async settingsView(user: SignedInUser, form: PageForm): Promise<PageData> {
    return { title: 'moderation.settings.title', tab: 'settings', tabs: await this.chrome.tabs(user), form };
  }

  @Post('settings')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.settings)
  @Render('moderation/settings')
  async saveSettings(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, [
      'reportThreshold',
      'newAccountHoldCount',
      'revealModeratorNames',
      'dryRunDays',
      'regexTimeoutMs',
    ]);
    const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? Number.NaN : Number(v));
    const change = {
      reportThreshold: number(values.reportThreshold),
      newAccountHoldCount: number(values.newAccountHoldCount),
      revealModeratorNames: values.revealModeratorNames === 'on',
      dryRunDays: number(values.dryRunDays),
      regexTimeoutMs: number(values.regexTimeoutMs),
    };
    try {
      await this.config.update(change);
      await this.log.record({
        actor: viewer,
        actorRole: await this.scope.roleOf(viewer),
        action: 'settings.changed',
        details: change,
      });
      return redirect('/moderation/settings', { kind: 'success', message: 'moderation.flash.settingsSaved' });
    } catch (error) {
      const form = formFromError(error, { ...values, revealModeratorNames: change.revealModeratorNames });
      if (!form) throw error;
      reply.status(422);
      return this.settingsView(viewer, form);
    }
  }

  /** `?space=<slug>`: to that space's settings (the form on the rules page). */
  @Get('spaces')
  @RequirePermission(moderationPermissions.report)
  async findSpace(@Query('space') space?: string): Promise<PageRedirect> {
    return redirect(space ? `/moderation/spaces/${encodeURIComponent(space.trim())}` : '/moderation/rules');
  }

  @Get('spaces/:space')
  @RequirePermission(moderationPermissions.spaces, { space: 'params.space' })
  @Render('moderation/space')
  async spacePage(@Param('space') ref: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedIn(user);
    const id = await this.spaceSettings.resolve(ref);
    const current = await this.spaceSettings.get(id);
    return this.spaceView(
      viewer,
      id,
      emptyForm({ premoderated: current.premoderated, slowModeSeconds: String(current.slowModeSeconds) }),
    );
  }

  private async spaceView(user: SignedInUser, id: string, form: PageForm): Promise<PageData> {
    const space = await this.spaces.find(id);
    return { title: 'moderation.space.title', tab: 'rules', tabs: await this.chrome.tabs(user), space, form };
  }

  @Post('spaces/:space')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.spaces, { space: 'params.space' })
  @Render('moderation/space')
  async saveSpace(
    @Param('space') ref: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const id = await this.spaceSettings.resolve(ref);
    const values = formValues(body, ['premoderated', 'slowModeSeconds']);
    const seconds = values.slowModeSeconds?.trim() ? Number(values.slowModeSeconds) : 0;
    try {
      const saved = await this.spaceSettings.set(viewer, id, {
        premoderated: values.premoderated === 'on',
        slowModeSeconds: seconds,
      });
      const space = await this.spaces.find(saved.spaceId);
      return redirect(`/moderation/spaces/${space?.slug ?? saved.spaceId}`, {
        kind: 'success',
        message: 'moderation.flash.spaceSaved',
      });
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 422) throw error;
      reply.status(422);
      return this.spaceView(
        viewer,
        id,
        formFromError(error, { ...values, premoderated: values.premoderated === 'on' })!,
      );
    }
  }
}
