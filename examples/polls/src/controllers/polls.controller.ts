import { Body, Controller, Get, HttpCode, Param, Post, Query, UnauthorizedException } from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  parseLimit,
  RequirePermission,
  type Page,
  type SignedInUser,
} from '@plein/sdk';
import { CreatePollDto } from '../dto/create-poll.dto';
import { VoteDto } from '../dto/vote.dto';
import { pollsPermissions } from '../permissions';
import { PollsService, type PollsCursor, type PollView } from '../services/polls.service';

/** The polls JSON API, mounted at /api/v1/polls. */
@Controller()
export class PollsController {
  constructor(private readonly polls: PollsService) {}

  @Get()
  @RequirePermission(pollsPermissions.read)
  async list(
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PollView>> {
    const take = parseLimit(limit);
    // One row more than the page tells whether there is a next page.
    const rows = await this.polls.latest(user, take + 1, decodeCursor<PollsCursor>(cursor));
    const page = rows.slice(0, take);
    const last = page[page.length - 1];
    return {
      items: await this.polls.describe(user, page),
      nextCursor:
        rows.length > take && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  @Post()
  @RequirePermission(pollsPermissions.create)
  create(@Body() body: CreatePollDto, @CurrentUser() user: SignedInUser): Promise<PollView> {
    return this.polls.create(user, body);
  }

  @Get(':id')
  @RequirePermission(pollsPermissions.read)
  one(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PollView> {
    return this.polls.one(user, id);
  }

  @Post(':id/votes')
  @RequirePermission(pollsPermissions.vote)
  vote(@Param('id') id: string, @Body() body: VoteDto, @CurrentUser() user: SignedInUser): Promise<PollView> {
    return this.polls.vote(user, id, body.optionId);
  }

  @Post(':id/close')
  @HttpCode(200)
  @RequirePermission(pollsPermissions.read) // the service lets the author or a holder of polls.poll.manage
  close(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PollView> {
    if (!user) throw new UnauthorizedException('Sign in to close a poll');
    return this.polls.close(user, id);
  }
}
