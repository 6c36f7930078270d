import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  parseLimit,
  RequirePermission,
  Settings,
  type Page,
  type SignedInUser,
} from '@plein/sdk';
import {
  AppealDto,
  CreateReportDto,
  CreateRuleDto,
  DecisionDto,
  DryRunDto,
  LiftDto,
  NoteDto,
  SanctionDto,
  SettingsDto,
  SpaceSettingsDto,
  UpdateRuleDto,
} from '../dto/moderation.dto';
import { moderationPermissions } from '../permissions';
import { AppealsService } from '../services/appeals.service';
import { DecisionsService } from '../services/decisions.service';
import { ModerationConfig } from '../services/moderation-config.service';
import { ModerationLog, type LogEntryView } from '../services/moderation-log.service';
import { ModerationScope } from '../services/moderation-scope.service';
import { parseItemStatus, parseLane, parseLogFilter } from '../services/query-params';
import { QueueService, type QueueCursor, type QueueItemDetail, type QueueItemView } from '../services/queue.service';
import { ReportsService, type MyReport, type ReportCreated } from '../services/reports.service';
import { RulesService, type DryRun, type RuleView } from '../services/rules.service';
import { SanctionsService, type SanctionView } from '../services/sanctions.service';
import { SpaceSettingsService, type SpaceSettingsView } from '../services/space-settings.service';
import type { ModerationSettings } from '../settings';

type TimeCursor = { at: string; id: string };

/**
 * The moderation JSON API, mounted at `/api/v1/moderation` (API.md, "Moderation").
 *
 * Routes a space moderator uses (the queue, rules, the log) name `moderation.content.report`,
 * which every member holds, for the guard: the guard checks a permission in one space or
 * everywhere, while these answer for all the spaces someone moderates. The services then check
 * `moderation.queue.review` (or `rule.manage`, `log.read`) in each item's space: 403 outside it.
 */
@Controller()
export class ModerationController {
  constructor(
    private readonly reports: ReportsService,
    private readonly queue: QueueService,
    private readonly decisions: DecisionsService,
    private readonly rules: RulesService,
    private readonly sanctions: SanctionsService,
    private readonly appeals: AppealsService,
    private readonly log: ModerationLog,
    private readonly scope: ModerationScope,
    private readonly spaces: SpaceSettingsService,
    private readonly settings: Settings,
    private readonly config: ModerationConfig,
  ) {}

  // ----- reports

  /** One report per member and item: a second answers 409. */
  @Post('reports')
  @RequirePermission(moderationPermissions.report)
  report(@Body() body: CreateReportDto, @CurrentUser() user: SignedInUser): Promise<ReportCreated> {
    return this.reports.report(user, body);
  }

  @Get('reports/mine')
  @RequirePermission(moderationPermissions.report)
  async myReports(@CurrentUser() user: SignedInUser): Promise<Page<MyReport>> {
    return { items: await this.reports.mine(user), nextCursor: null };
  }

  // ----- the queue

  /** `?lane=reports|held|appeals` (all when absent), `?spaceId=`, `?status=open|decided|closed`. */
  @Get('queue')
  @RequirePermission(moderationPermissions.report)
  async list(
    @CurrentUser() user: SignedInUser,
    @Query('lane') lane?: string,
    @Query('spaceId') spaceId?: string,
    @Query('status') status?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<QueueItemView>> {
    const scope = await this.queue.reviewScope(user);
    const { rows, next } = await this.queue.list(user, scope, {
      lane: parseLane(lane),
      spaceId: spaceId || null,
      status: parseItemStatus(status),
      limit: parseLimit(limit),
      cursor: decodeCursor<QueueCursor>(cursor),
    });
    return { items: await this.queue.describe(rows), nextCursor: next ? encodeCursor(next) : null };
  }

  @Get('queue/:id')
  @RequirePermission(moderationPermissions.report)
  one(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<QueueItemDetail> {
    return this.queue.detail(user, id);
  }

  /** `{ action: 'approve'|'hide'|'delete'|'dismiss', reason }`; a decided item answers 409. */
  @Post('queue/:id/decision')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  decide(
    @Param('id') id: string,
    @Body() body: DecisionDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<QueueItemView> {
    return this.decisions.decide(user, id, body);
  }

  @Post('queue/:id/claim')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.report)
  claim(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<QueueItemView> {
    return this.queue.claim(user, id);
  }

  @Delete('queue/:id/claim')
  @RequirePermission(moderationPermissions.report)
  unclaim(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<QueueItemView> {
    return this.queue.unclaim(user, id);
  }

  /** An internal note: moderators in scope read it, the author and reporters never do. */
  @Post('queue/:id/notes')
  @RequirePermission(moderationPermissions.report)
  note(@Param('id') id: string, @Body() body: NoteDto, @CurrentUser() user: SignedInUser) {
    return this.queue.addNote(user, id, body.text);
  }

  // ----- rules

  @Get('rules')
  @RequirePermission(moderationPermissions.report)
  async listRules(
    @CurrentUser() user: SignedInUser,
    @Query('spaceId') spaceId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<RuleView>> {
    const scope = await this.scope.require(user, moderationPermissions.rules);
    const { rows, next } = await this.rules.list(scope, spaceId, parseLimit(limit), decodeCursor<TimeCursor>(cursor));
    return { items: await this.rules.describe(rows), nextCursor: next ? encodeCursor(next) : null };
  }

  /** A malformed or catastrophic pattern answers 422 with the reason, naming `pattern`. */
  @Post('rules')
  @RequirePermission(moderationPermissions.rules, { space: 'body.spaceId' })
  createRule(@Body() body: CreateRuleDto, @CurrentUser() user: SignedInUser): Promise<RuleView> {
    return this.rules.create(user, body);
  }

  /** What a rule would have matched in the last 90 days (the `dryRunDays` setting), before it is enabled. */
  @Post('rules/dry-run')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.rules, { space: 'body.spaceId' })
  async dryRun(@Body() body: DryRunDto, @CurrentUser() user: SignedInUser): Promise<DryRun> {
    const days = body.days ?? (await this.settings.get<ModerationSettings>()).dryRunDays;
    return this.rules.dryRun(user, body, days);
  }

  @Get('rules/:id')
  @RequirePermission(moderationPermissions.report)
  async oneRule(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<RuleView> {
    return (await this.rules.describe([await this.rules.find(user, id)]))[0];
  }

  @Get('rules/:id/dry-run')
  @RequirePermission(moderationPermissions.report)
  async dryRunStored(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<DryRun> {
    const rule = await this.rules.find(user, id);
    const { dryRunDays } = await this.settings.get<ModerationSettings>();
    return this.rules.dryRun(user, rule, dryRunDays);
  }

  @Patch('rules/:id')
  @RequirePermission(moderationPermissions.report)
  updateRule(
    @Param('id') id: string,
    @Body() body: UpdateRuleDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<RuleView> {
    return this.rules.update(user, id, body);
  }

  @Delete('rules/:id')
  @HttpCode(204)
  @RequirePermission(moderationPermissions.report)
  async deleteRule(@Param('id') id: string, @CurrentUser() user: SignedInUser): Promise<void> {
    await this.rules.remove(user, id);
  }

  // ----- sanctions

  /** `{ kind: 'warn'|'silence'|'suspend', until?, reason }`; a silence or suspension with `until` ends by itself. */
  @Post('users/:id/sanctions')
  @RequirePermission(moderationPermissions.sanction)
  sanction(
    @Param('id') id: string,
    @Body() body: SanctionDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<SanctionView> {
    return this.sanctions.issue(user, id, body);
  }

  @Get('users/:id/sanctions')
  @RequirePermission(moderationPermissions.sanction)
  async sanctionsOf(@Param('id') id: string): Promise<Page<SanctionView>> {
    return { items: await this.sanctions.describe(await this.sanctions.of(id)), nextCursor: null };
  }

  /** `?active=true`: only those restricting someone now. */
  @Get('sanctions')
  @RequirePermission(moderationPermissions.sanction)
  async listSanctions(
    @Query('active') active?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<SanctionView>> {
    const { rows, next } = await this.sanctions.list(
      active === 'true',
      parseLimit(limit),
      decodeCursor<TimeCursor>(cursor),
    );
    return { items: await this.sanctions.describe(rows), nextCursor: next ? encodeCursor(next) : null };
  }

  @Post('sanctions/:id/lift')
  @HttpCode(200)
  @RequirePermission(moderationPermissions.sanction)
  lift(@Param('id') id: string, @Body() body: LiftDto, @CurrentUser() user: SignedInUser): Promise<SanctionView> {
    return this.sanctions.lift(user, id, body.reason);
  }

  // ----- appeals and one's own history

  /** The author of moderated content, once per decision: `{ contentId, text }` (or `{ sanctionId, text }`). */
  @Post('appeals')
  @RequirePermission(moderationPermissions.report)
  appeal(@Body() body: AppealDto, @CurrentUser() user: SignedInUser): Promise<QueueItemView> {
    return this.appeals.appeal(user, body);
  }

  /** Everything done to my content and account, newest first (moderators by role unless names are revealed). */
  @Get('history')
  @RequirePermission(moderationPermissions.report)
  async history(
    @CurrentUser() user: SignedInUser,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<LogEntryView & { appealable: boolean }>> {
    const { rows, next } = await this.log.historyOf(user.id, parseLimit(limit), decodeCursor<TimeCursor>(cursor));
    const { revealModeratorNames } = await this.settings.get<ModerationSettings>();
    const appealable = await this.appeals.appealable(user.id);
    const items = (await this.log.describe(rows)).map((e) => ({
      ...e,
      actor: revealModeratorNames || e.actor?.id === user.id ? e.actor : null,
      appealable:
        (e.action === 'item.decided' && !!e.contentId && appealable.contentIds.has(e.contentId)) ||
        (e.action === 'sanction.issued' && appealable.sanctionIds.has(String(e.details.sanctionId))),
    }));
    return { items, nextCursor: next ? encodeCursor(next) : null };
  }

  // ----- the log

  /** Filters: `action`, `actorId`, `userId`, `spaceId`, `contentId`, `since`, `until`. */
  @Get('log')
  @RequirePermission(moderationPermissions.report)
  async readLog(
    @CurrentUser() user: SignedInUser,
    @Query() query: Record<string, unknown>,
  ): Promise<Page<LogEntryView>> {
    const scope = await this.scope.require(user, moderationPermissions.log);
    const { rows, next } = await this.log.list(
      scope,
      parseLogFilter(query),
      parseLimit(query.limit as string | undefined),
      decodeCursor<TimeCursor>(query.cursor as string | undefined),
    );
    return { items: await this.log.describe(rows), nextCursor: next ? encodeCursor(next) : null };
  }

  /** The log with the same filters as CSV, every matching entry. */
  @Get('log.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="moderation-log.csv"')
  @RequirePermission(moderationPermissions.report)
  async exportLog(@CurrentUser() user: SignedInUser, @Query() query: Record<string, unknown>): Promise<StreamableFile> {
    const scope = await this.scope.require(user, moderationPermissions.log);
    return new StreamableFile(this.log.csv(scope, parseLogFilter(query)));
  }

  // ----- settings

  @Get('spaces/:spaceId/settings')
  @RequirePermission(moderationPermissions.spaces, { space: 'params.spaceId' })
  async spaceSettings(@Param('spaceId') spaceId: string): Promise<SpaceSettingsView> {
    return this.spaces.get(await this.spaces.resolve(spaceId));
  }

  /** `{ premoderated?, slowModeSeconds? }` for one space. */
  @Put('spaces/:spaceId/settings')
  @RequirePermission(moderationPermissions.spaces, { space: 'params.spaceId' })
  setSpaceSettings(
    @Param('spaceId') spaceId: string,
    @Body() body: SpaceSettingsDto,
    @CurrentUser() user: SignedInUser,
  ): Promise<SpaceSettingsView> {
    return this.spaces.set(user, spaceId, body);
  }

  @Get('settings')
  @RequirePermission(moderationPermissions.settings)
  getSettings(): Promise<ModerationSettings> {
    return this.settings.get<ModerationSettings>();
  }

  @Put('settings')
  @RequirePermission(moderationPermissions.settings)
  async putSettings(@Body() body: SettingsDto, @CurrentUser() user: SignedInUser): Promise<ModerationSettings> {
    // DTO fields the body left out are present as undefined (class fields): keep them out.
    const change = Object.fromEntries(
      Object.entries(body).filter(([, v]) => v !== undefined),
    ) as Partial<ModerationSettings>;
    const saved = await this.config.update(change);
    await this.log.record({
      actor: user,
      actorRole: await this.scope.roleOf(user),
      action: 'settings.changed',
      details: change,
    });
    return saved;
  }
}
