import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type SignedInUser } from '@plein/sdk';
import { kudosPermissions } from '../permissions';
import { KudosService } from '../services/kudos.service';

/** The kudos page, mounted at /kudos. */
@Controller()
export class KudosPage {
  constructor(private readonly kudos: KudosService) {}

  @Get()
  @RequirePermission(kudosPermissions.read)
  @Render('kudos/list')
  async list(@CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const [kudos, leaderboard] = await Promise.all([this.kudos.latest(user, 20, null).then((k) => this.kudos.describe(k)), this.kudos.leaderboard(5)]);
    return { title: 'Kudos', kudos, leaderboard, signedIn: user !== null };
  }
}
