import { Controller, Get, Inject } from '@nestjs/common';
import { CurrentUser, Public, redirect, Render, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { HomeActivity } from '../activity/activity-view';
import { I18n } from '../i18n/i18n';
import { SpacesService } from '../spaces/spaces.service';
import { UsersService } from '../users/users.service';
import { PageLocale } from './page-kit';

/** `/`: the welcome and the newest activity; a fresh install sends its first visitor to the setup. */
@Controller()
export class HomePage {
  constructor(
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(I18n) private readonly i18n: I18n,
    @Inject(HomeActivity) private readonly activity: HomeActivity,
  ) {}

  @Get()
  @Public()
  @Render('core/home')
  async home(@CurrentUser() user: SignedInUser | null, @PageLocale() locale: string): Promise<PageData | PageRedirect> {
    if ((await this.users.count()) === 0) return redirect('/setup');
    const mySpaces = user ? (await this.spaces.listVisible(user)).filter((s) => s.myStatus === 'active') : [];
    return {
      title: user ? this.i18n.t(locale, 'core.home.welcomeBack', { name: user.displayName }) : this.i18n.t(locale, 'core.home.title'),
      mySpaces: mySpaces.map((s) => ({ slug: s.slug, name: s.name, role: s.myRole })),
      // The newest of the activity stream, for those who may read it.
      activity: await this.activity.newest(user),
    };
  }
}
