import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type SignedInUser } from '@plein/sdk';
import { __nameCamel__Permissions } from '../permissions';
import { __Name__ItemService } from '../services/__name__-item.service';

/** The __Title__ page, mounted at /__name__. */
@Controller()
export class __Name__Page {
  constructor(private readonly items: __Name__ItemService) {}

  @Get()
  @RequirePermission(__nameCamel__Permissions.read)
  @Render('__name__/list')
  async list(@CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const items = await this.items.describe(await this.items.latest(20, null));
    return { title: '__Title__', items, signedIn: user !== null };
  }
}
