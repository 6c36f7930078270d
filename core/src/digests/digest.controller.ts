import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { CurrentUser, RequirePermission, type SignedInUser } from '@plein/sdk';
import { corePermissions } from '../permissions/core-permissions';
import { SetDigestDto } from './dto/set-digest.dto';
import { DigestService, type DigestPreference } from './digest.service';

function present(p: DigestPreference) {
  return { frequency: p.frequency, nextAt: p.nextAt?.toISOString() ?? null, lastSentAt: p.lastSentAt?.toISOString() ?? null };
}

/** My e-mail digest, beside my notification preferences: `off`, `daily` or `weekly`. */
@Controller('api/v1/notifications/digest')
@RequirePermission(corePermissions.useAccount)
export class DigestController {
  constructor(@Inject(DigestService) private readonly digests: DigestService) {}

  /** → `{ frequency, nextAt, lastSentAt }` */
  @Get()
  async get(@CurrentUser() user: SignedInUser) {
    return present(await this.digests.preference(user.id));
  }

  /** `{ frequency: 'off'|'daily'|'weekly' }` → `{ frequency, nextAt, lastSentAt }` */
  @Put()
  async set(@Body() body: SetDigestDto, @CurrentUser() user: SignedInUser) {
    return present(await this.digests.choose(user.id, body.frequency));
  }
}
