import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentUser, parseLimit, RequirePermission, type SignedInUser } from '@plein/sdk';
import { activityPermissions } from './activity-permissions';
import { ActivityService, optionalParam, PLUGIN_PARAM } from './activity.service';

@Controller('api/v1/activity')
export class ActivityController {
  constructor(@Inject(ActivityService) private readonly activity: ActivityService) {}

  /** Published content of every plugin that I may see, newest first; `?spaceId=` and `?plugin=` narrow it. */
  @Get()
  @RequirePermission(activityPermissions.read)
  async stream(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceId?: string,
    @Query('plugin') plugin?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const filter = { spaceId: optionalParam('spaceId', spaceId), plugin: optionalParam('plugin', plugin, 64, PLUGIN_PARAM) };
    const take = parseLimit(optionalParam('limit', limit, 8) ?? undefined);
    return this.activity.stream(user, filter, take, optionalParam('cursor', cursor, 1000) ?? undefined);
  }
}
