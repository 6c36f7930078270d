import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentUser, parseLimit, RequirePermission, type SignedInUser } from '@plein/sdk';
import { optionalParam, PLUGIN_PARAM } from '../activity/activity.service';
import { searchPermissions } from './search-permissions';
import { checkQuery, parseDateParam, SearchService } from './search.service';
import { hitsHtml } from './search-text';

@Controller('api/v1/search')
export class SearchController {
  constructor(@Inject(SearchService) private readonly search: SearchService) {}

  /**
   * Content of every plugin that I may see, matching every word of `q`, best first. `title` is the
   * item's title as text; `titleHtml` and `excerpt` are HTML: escaped text with `<mark>` around
   * the words found, nothing else.
   */
  @Get()
  @RequirePermission(searchPermissions.use)
  async find(
    @CurrentUser() user: SignedInUser | null,
    @Query('q') q?: string,
    @Query('plugin') plugin?: string,
    @Query('spaceId') spaceId?: string,
    @Query('authorId') authorId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ) {
    const query = {
      q: checkQuery(q),
      plugin: optionalParam('plugin', plugin, 64, PLUGIN_PARAM),
      spaceId: optionalParam('spaceId', spaceId),
      authorId: optionalParam('authorId', authorId),
      from: parseDateParam('from', from),
      to: parseDateParam('to', to),
    };
    const page = await this.search.search(user, query, parseLimit(optionalParam('limit', limit, 8) ?? undefined), optionalParam('cursor', cursor, 1000) ?? undefined);
    return {
      items: page.items.map((hit) => ({ ...hit.item, titleHtml: hitsHtml(hit.title), excerpt: hitsHtml(hit.excerpt) })),
      nextCursor: page.nextCursor,
    };
  }
}
