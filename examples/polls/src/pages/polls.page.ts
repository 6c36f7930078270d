import { Body, Controller, Get, HttpException, Param, Post } from '@nestjs/common';
import {
  CurrentUser,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { pollsPermissions } from '../permissions';
import { PollsService } from '../services/polls.service';

/** The polls pages, mounted at /polls: the list, one poll, and its vote form. */
@Controller()
export class PollsPage {
  constructor(private readonly polls: PollsService) {}

  @Get()
  @RequirePermission(pollsPermissions.read)
  @Render('polls/list')
  async list(@CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const polls = await this.polls.describe(user, await this.polls.latest(user, 20, null));
    return { title: 'polls.list.title', polls };
  }

  @Get(':id')
  @RequirePermission(pollsPermissions.read)
  @Render('polls/poll')
  async poll(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const poll = await this.polls.one(user, id);
    return {
      title: poll.question,
      poll,
      canVote: user !== null && poll.open && poll.myVote === null && poll.status === 'published',
    };
  }

  /** The vote form: a plain HTML form with the CSRF token, answered by a redirect and a flash. */
  @Post(':id/vote')
  @RequirePermission(pollsPermissions.vote)
  async vote(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: SignedInUser): Promise<PageRedirect> {
    const optionId = (body as { optionId?: unknown } | null)?.optionId;
    if (typeof optionId !== 'string' || !optionId)
      return redirect(`/polls/${id}`, { kind: 'error', message: 'polls.flash.pickOne' });
    try {
      await this.polls.vote(user, id, optionId);
    } catch (error) {
      // 404 stays a 404; a second vote, a closed poll or a wrong option come back as a flash.
      if (!(error instanceof HttpException) || ![409, 422].includes(error.getStatus())) throw error;
      const message = error.getStatus() === 409 ? 'polls.flash.notCounted' : 'polls.flash.pickOne';
      return redirect(`/polls/${id}`, { kind: 'warning', message });
    }
    return redirect(`/polls/${id}`, { kind: 'success', message: 'polls.flash.voted' });
  }
}
