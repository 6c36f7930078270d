import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Put,
  Query,
  UnauthorizedException,
} from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InSpace,
  parseLimit,
  RequirePermission,
  type Page,
  type SignedInUser,
} from '@plein/sdk';
import { CreatePageDto, MovePageDto, RestoreRevisionDto, TemplateDto, UpdatePageDto, WatchDto } from '../dto/page.dto';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { wikiPermissions } from '../permissions';
import { WikiAccessService, type Viewer } from '../services/wiki-access.service';
import { WikiListingService, type PageSummary, type TreeNode } from '../services/wiki-listing.service';
import { revisionNumber } from '../services/wiki-names';
import { WikiPagesService } from '../services/wiki-pages.service';
import { WikiPathsService } from '../services/wiki-paths.service';
import {
  WikiRevisionsService,
  type PageDiff,
  type RevisionSummary,
  type RevisionView,
} from '../services/wiki-revisions.service';
import { WikiViewService, type WikiPageView } from '../services/wiki-view.service';
import { WikiWatchService } from '../services/wiki-watch.service';
import { pageSpace } from '../services/wiki-spaces.service';

type TitleCursor = { t: string; id: string };

function signedIn(user: SignedInUser | null): SignedInUser {
  // The guard lets anonymous callers through for permissions anonymous visitors hold (reading);
  // every change needs an account.
  if (!user) throw new UnauthorizedException('Sign in to continue');
  return user;
}

/**
 * The wiki JSON API, mounted at `/api/v1/wiki` (API.md, "Wiki"). Routes about one page name
 * `wiki.page.read` for the guard and check the precise permission in the page's space in the
 * service, since the space is known only once the page is loaded.
 */
@Controller()
@InSpace(pageSpace)
export class WikiController {
  constructor(
    private readonly pages: WikiPagesService,
    private readonly access: WikiAccessService,
    private readonly views: WikiViewService,
    private readonly listing: WikiListingService,
    private readonly revisions: WikiRevisionsService,
    private readonly watches: WikiWatchService,
    private readonly paths: WikiPathsService,
  ) {}

  @Post('pages')
  @RequirePermission(wikiPermissions.create, { space: 'body.spaceId' })
  async create(@Body() body: CreatePageDto, @CurrentUser() user: SignedInUser | null): Promise<WikiPageView> {
    const viewer = signedIn(user);
    const page = await this.pages.create(viewer, body);
    return this.describe(viewer, page.id);
  }

  /** Title search: `?q=` (contained, case-insensitive), `?spaceId=`, `?template=true` for templates. */
  @Get('pages')
  @RequirePermission(wikiPermissions.read, { space: 'query.spaceId' })
  async list(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceId?: string,
    @Query('q') q?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PageSummary>> {
    const take = parseLimit(limit);
    const { spaceKey } = spaceId ? await this.access.spaceKeyOf(user, spaceId) : { spaceKey: null };
    const { rows, more } = await this.listing.search(user, { spaceKey, q }, take, decodeCursor<TitleCursor>(cursor));
    return this.summaries(rows, more);
  }

  @Get('pages/:id')
  @RequirePermission(wikiPermissions.read)
  async one(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<WikiPageView> {
    return this.describe(user, id);
  }

  @Put('pages/:id')
  @RequirePermission(wikiPermissions.read)
  async update(
    @Param('id') id: string,
    @Body() body: UpdatePageDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<WikiPageView> {
    const viewer = signedIn(user);
    await this.pages.update(viewer, id, body);
    return this.describe(viewer, id);
  }

  /** Soft delete of the page and the pages under it; `?reason=` is shown to the author. */
  @Delete('pages/:id')
  @HttpCode(204)
  @RequirePermission(wikiPermissions.read)
  async remove(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('reason') reason?: string,
  ): Promise<void> {
    await this.pages.delete(signedIn(user), id, reason?.slice(0, 500) ?? null);
  }

  @Post('pages/:id/restore')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.read)
  async restore(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<WikiPageView> {
    const viewer = signedIn(user);
    await this.pages.restore(viewer, id);
    return this.describe(viewer, id);
  }

  /** Re-parent: `{ parentId }` (null: top level); the pages under it follow; a cycle is 409. */
  @Post('pages/:id/move')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.read)
  async move(
    @Param('id') id: string,
    @Body() body: MovePageDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<WikiPageView> {
    const viewer = signedIn(user);
    await this.pages.move(viewer, id, body.parentId ?? null);
    return this.describe(viewer, id);
  }

  @Put('pages/:id/template')
  @RequirePermission(wikiPermissions.read)
  async template(
    @Param('id') id: string,
    @Body() body: TemplateDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<WikiPageView> {
    const viewer = signedIn(user);
    await this.pages.setTemplate(viewer, id, body.template);
    return this.describe(viewer, id);
  }

  @Put('pages/:id/watch')
  @RequirePermission(wikiPermissions.read)
  async watch(
    @Param('id') id: string,
    @Body() body: WatchDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<{ watching: 'page' | 'subtree' }> {
    const viewer = signedIn(user);
    const { page } = await this.access.read(viewer, id);
    await this.watches.watch(viewer.id, page.id, body.mode);
    return { watching: body.mode };
  }

  @Delete('pages/:id/watch')
  @HttpCode(204)
  @RequirePermission(wikiPermissions.read)
  async unwatch(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    const viewer = signedIn(user);
    const { page } = await this.access.read(viewer, id);
    await this.watches.unwatch(viewer.id, page.id);
  }

  @Get('pages/:id/revisions')
  @RequirePermission(wikiPermissions.read)
  async history(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<RevisionSummary>> {
    const take = parseLimit(limit);
    const after = decodeCursor<{ before: number }>(cursor);
    const { items, more } = await this.revisions.history(
      await this.access.read(user, id),
      take,
      after ? revisionNumber(after.before, 'cursor') : null,
    );
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor({ before: last.revision }) : null };
  }

  @Get('pages/:id/revisions/:rev')
  @RequirePermission(wikiPermissions.read)
  async revision(
    @Param('id') id: string,
    @Param('rev') rev: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<RevisionView> {
    const number = revisionNumber(rev, 'rev');
    return this.revisions.one(await this.access.read(user, id), number);
  }

  /** Makes a new revision with the text and title of `rev` (a restored title brings its slug back). */
  @Post('pages/:id/revisions/:rev/restore')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.read)
  async restoreRevision(
    @Param('id') id: string,
    @Param('rev') rev: string,
    @Body() body: RestoreRevisionDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<WikiPageView> {
    const viewer = signedIn(user);
    const number = revisionNumber(rev, 'rev');
    const access = await this.access.read(viewer, id);
    const old = await this.revisions.row(access, number, 'rev');
    await this.pages.update(
      viewer,
      id,
      {
        title: old.title,
        body: old.body,
        summary: body?.summary ?? null,
        baseRevision: body?.baseRevision ?? access.page.revision,
      },
      number,
    );
    return this.describe(viewer, id);
  }

  @Get('pages/:id/diff')
  @RequirePermission(wikiPermissions.read)
  async diff(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<PageDiff> {
    const fromNumber = from === undefined || from === '' ? null : revisionNumber(from, 'from');
    const toNumber = to === undefined || to === '' ? null : revisionNumber(to, 'to');
    return this.revisions.diff(await this.access.read(user, id), fromNumber, toNumber);
  }

  @Get('pages/:id/backlinks')
  @RequirePermission(wikiPermissions.read)
  async backlinks(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PageSummary>> {
    const take = parseLimit(limit);
    const { page } = await this.access.read(user, id);
    const { rows, more } = await this.listing.backlinks(user, page, take, decodeCursor<TitleCursor>(cursor));
    return this.summaries(rows, more);
  }

  /** The page tree of a space (`?spaceId=` id or slug; absent: organisation-wide pages), or under `?parentId=`. */
  @Get('tree')
  @RequirePermission(wikiPermissions.read, { space: 'query.spaceId' })
  async tree(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceId?: string,
    @Query('parentId') parentId?: string,
  ): Promise<Page<TreeNode> & { truncated: boolean }> {
    let { spaceKey, space } = await this.access.spaceKeyOf(user, spaceId);
    let root: WikiPage | null = null;
    if (parentId) {
      const access = await this.access.read(user, parentId);
      root = access.page;
      spaceKey = root.spaceKey;
      space = access.space;
    }
    await this.access.assertInSpace(user, wikiPermissions.read, spaceKey);
    const { items, truncated } = await this.listing.tree(user, spaceKey, space?.slug ?? null, root);
    return { items, nextCursor: null, truncated };
  }

  /** Templates usable in a space: its own and the organisation-wide ones. */
  @Get('templates')
  @RequirePermission(wikiPermissions.read, { space: 'query.spaceId' })
  async templates(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PageSummary>> {
    const take = parseLimit(limit);
    const { spaceKey } = await this.access.spaceKeyOf(user, spaceId);
    const { rows, more } = await this.listing.search(
      user,
      { templatesOf: spaceKey },
      take,
      decodeCursor<TitleCursor>(cursor),
    );
    return this.summaries(rows, more);
  }

  /** Deleted pages of a space (the trash), for those who may restore them. */
  @Get('deleted')
  @RequirePermission(wikiPermissions.restore, { space: 'query.spaceId' })
  async deleted(
    @CurrentUser() user: SignedInUser | null,
    @Query('spaceId') spaceId?: string,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
  ): Promise<Page<PageSummary & { deletedAt: string }>> {
    const take = parseLimit(limit);
    const { spaceKey, space } = await this.access.spaceKeyOf(user, spaceId);
    await this.access.assertInSpace(user, wikiPermissions.restore, spaceKey);
    const { rows, more } = await this.listing.deleted(spaceKey, take, decodeCursor<{ at: string; id: string }>(cursor));
    const items = rows.map((r) => ({
      ...this.listing.summary(r, space?.slug ?? null),
      deletedAt: r.deletedAt!.toISOString(),
    }));
    const last = rows[rows.length - 1];
    return {
      items,
      nextCursor: more && last ? encodeCursor({ at: last.deletedAt!.toISOString(), id: last.id }) : null,
    };
  }

  /** A page by its address: `?space=<slug or ->&path=a/b`; an old path answers with `movedFrom`. */
  @Get('resolve')
  @RequirePermission(wikiPermissions.read)
  @InSpace('query.space')
  async resolve(
    @CurrentUser() user: SignedInUser | null,
    @Query('space') space?: string,
    @Query('path') path?: string,
  ): Promise<WikiPageView & { movedFrom: string | null }> {
    const found = await this.paths.find(user, space ?? ORG_SPACE_KEY, path ?? '');
    if (!found) throw new NotFoundException(`No wiki page at '${path ?? ''}'`);
    return { ...(await this.views.describe(user, found.access, { children: true })), movedFrom: found.movedFrom };
  }

  private async describe(viewer: Viewer, id: string): Promise<WikiPageView> {
    return this.views.describe(viewer, await this.access.read(viewer, id), {
      children: true,
      watching: viewer !== null,
    });
  }

  private async summaries(rows: WikiPage[], more: boolean): Promise<Page<PageSummary>> {
    const slugs = new Map<string, string | null>();
    for (const key of new Set(rows.map((r) => r.spaceKey)))
      slugs.set(key, key === ORG_SPACE_KEY ? null : await this.paths.spaceSlug(key));
    const items = rows.map((r) => this.listing.summary(r, slugs.get(r.spaceKey) ?? null));
    const last = rows[rows.length - 1];
    return { items, nextCursor: more && last ? encodeCursor({ t: last.titleKey, id: last.id }) : null };
  }
}
