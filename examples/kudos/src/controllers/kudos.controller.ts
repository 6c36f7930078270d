import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, decodeCursor, encodeCursor, Jobs, parseLimit, RequirePermission, type Page, type SignedInUser } from '@plein/sdk';
import { GiveKudosDto } from '../dto/give-kudos.dto';
import { recountTallies } from '../events';
import { kudosPermissions } from '../permissions';
import { KudosService, type KudoView } from '../services/kudos.service';

/** The kudos JSON API, mounted at /api/v1/kudos. */
@Controller()
export class KudosController {
  constructor(
    private readonly kudos: KudosService,
    private readonly jobs: Jobs,
  ) {}

  @Get()
  @RequirePermission(kudosPermissions.read)
  async list(@CurrentUser() user: SignedInUser | null, @Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<KudoView>> {
    const take = parseLimit(limit);
    const rows = await this.kudos.latest(user, take + 1, decodeCursor<{ createdAt: string; id: string }>(cursor));
    const page = rows.slice(0, take);
    const last = page[page.length - 1];
    return {
      items: await this.kudos.describe(page),
      nextCursor: rows.length > take && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  @Post()
  @RequirePermission(kudosPermissions.give)
  give(@Body() body: GiveKudosDto, @CurrentUser() user: SignedInUser): Promise<KudoView> {
    return this.kudos.give(user.id, body.toUserId, body.message);
  }

  @Get('leaderboard')
  @RequirePermission(kudosPermissions.read)
  async leaderboard() {
    return { items: await this.kudos.leaderboard(), nextCursor: null };
  }

  @Post('recount')
  @HttpCode(202)
  @RequirePermission(kudosPermissions.manage)
  async recount() {
    return this.jobs.enqueue(recountTallies, {}, { jobId: 'kudos-recount' });
  }

  @Get(':id')
  @RequirePermission(kudosPermissions.read)
  one(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<KudoView> {
    return this.kudos.one(user, id);
  }
}
