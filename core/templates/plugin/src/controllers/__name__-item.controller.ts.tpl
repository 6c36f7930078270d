import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  parseLimit,
  RequirePermission,
  type Page,
  type SignedInUser,
} from '@plein/sdk';
import { CreateItemDto } from '../dto/create-item.dto';
import { __nameCamel__Permissions } from '../permissions';
import { __Name__ItemService, type __Name__ItemCursor, type __Name__ItemView } from '../services/__name__-item.service';

/** The __Title__ JSON API, mounted at /api/v1/__name__. */
@Controller()
export class __Name__ItemController {
  constructor(private readonly items: __Name__ItemService) {}

  @Get()
  @RequirePermission(__nameCamel__Permissions.read)
  async list(@Query('limit') limit?: string, @Query('cursor') cursor?: string): Promise<Page<__Name__ItemView>> {
    const take = parseLimit(limit);
    // One row more than the page tells whether there is a next page.
    const rows = await this.items.latest(take + 1, decodeCursor<__Name__ItemCursor>(cursor));
    const page = rows.slice(0, take);
    const last = page[page.length - 1];
    return {
      items: await this.items.describe(page),
      nextCursor:
        rows.length > take && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  @Post()
  @RequirePermission(__nameCamel__Permissions.create)
  create(@Body() body: CreateItemDto, @CurrentUser() user: SignedInUser): Promise<__Name__ItemView> {
    return this.items.create(user.id, body.title);
  }
}
