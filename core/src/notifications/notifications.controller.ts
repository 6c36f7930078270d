import { Body, Controller, Get, HttpCode, Inject, Post, Put, Query } from '@nestjs/common';
import { CurrentUser, decodeCursor, encodeCursor, InvalidInput, parseLimit, RequirePermission, type SignedInUser } from '@plein/sdk';
import { corePermissions } from '../permissions/core-permissions';
import { MarkReadDto, SetPreferenceDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@Controller('api/v1/notifications')
@RequirePermission(corePermissions.useAccount)
export class NotificationsController {
  constructor(@Inject(NotificationsService) private readonly notifications: NotificationsService) {}

  /** Mine, newest first. */
  @Get()
  async list(@CurrentUser() user: SignedInUser, @Query('limit') limitParam?: string, @Query('cursor') cursorParam?: string) {
    const limit = parseLimit(limitParam);
    const cursor = decodeCursor<{ at: string; id: string }>(cursorParam);
    const rows = await this.notifications.list(user.id, limit + 1, cursor ? { at: new Date(cursor.at), id: String(cursor.id) } : null);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((n) => ({ id: n.id, kind: n.kind, title: n.title, url: n.url, contentId: n.contentId, createdAt: n.createdAt.toISOString(), read: n.readAt !== null })),
      nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id }) : null,
      unread: await this.notifications.unread(user.id),
    };
  }

  @Post('read')
  @HttpCode(200)
  async read(@Body() body: MarkReadDto, @CurrentUser() user: SignedInUser) {
    if (!body.all && !body.ids?.length) throw new InvalidInput([{ field: 'ids', message: 'name the notifications to mark read, or send { "all": true }' }]);
    return { marked: await this.notifications.markRead(user.id, body.all ? 'all' : body.ids!) };
  }

  @Get('preferences')
  async preferences(@CurrentUser() user: SignedInUser) {
    const channels = await this.notifications.channels(user.id);
    return { items: this.notifications.listKinds().map((k) => ({ kind: k.kind, plugin: k.pluginId, label: k.label, channel: channels.get(k.kind) })), nextCursor: null };
  }

  @Put('preferences')
  async setPreference(@Body() body: SetPreferenceDto, @CurrentUser() user: SignedInUser) {
    if (!this.notifications.listKinds().some((k) => k.kind === body.kind)) throw new InvalidInput([{ field: 'kind', message: `no notification kind '${body.kind}'` }]);
    await this.notifications.setChannel(user.id, body.kind, body.channel);
    return { kind: body.kind, channel: body.channel };
  }
}
