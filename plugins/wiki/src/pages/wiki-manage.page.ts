import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  decodeCursor,
  encodeCursor,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { ORG_SPACE_KEY } from '../entities/wiki-page.entity';
import { wikiPermissions } from '../permissions';
import { WikiAccessService, type Viewer } from '../services/wiki-access.service';
import { WikiListingService } from '../services/wiki-listing.service';
import { pageUrl } from '../services/wiki-names';
import { WikiPagesService } from '../services/wiki-pages.service';
import { WikiPathsService } from '../services/wiki-paths.service';
import { WikiWatchService } from '../services/wiki-watch.service';
import { emptyForm, formFromError, formValues, signedIn, type ReplyLike, type WikiForm } from './page-support';
import { WikiPageData } from './wiki-page-data';
import { pageSpace } from '../services/wiki-spaces.service';

/** Backlinks, move, delete and restore, watching, templates and the trash. */
@Controller('p')
@InSpace(pageSpace)
export class WikiManagePage {
  constructor(
    private readonly access: WikiAccessService,
    private readonly pages: WikiPagesService,
    private readonly listing: WikiListingService,
    private readonly paths: WikiPathsService,
    private readonly watches: WikiWatchService,
    private readonly chrome: WikiPageData,
  ) {}

  /** Templates usable in a space (`?space=<slug or ->`), each with a "new page from it" link. */
  @Get('templates')
  @RequirePermission(wikiPermissions.read)
  @InSpace('query.space')
  @Render('wiki/templates')
  async templates(@CurrentUser() user: SignedInUser | null, @Query('space') space?: string): Promise<PageData> {
    const { spaceKey, slug, name } = await this.paths.spaceKeyOf(user, space || ORG_SPACE_KEY);
    const { rows } = await this.listing.search(user, { templatesOf: spaceKey }, 100, null);
    const templates = [];
    for (const r of rows)
      templates.push({
        ...this.listing.summary(r, r.spaceKey === ORG_SPACE_KEY ? null : await this.paths.spaceSlug(r.spaceKey)),
        orgWide: r.spaceKey === ORG_SPACE_KEY && spaceKey !== ORG_SPACE_KEY,
      });
    return {
      title: 'wiki.templates.title',
      spaceSegment: slug ?? ORG_SPACE_KEY,
      spaceName: name,
      templates,
      canCreate: await this.access.canInSpace(user, wikiPermissions.create, spaceKey),
    };
  }

  /** Deleted pages of a space, for those who may restore them. */
  @Get('deleted')
  @RequirePermission(wikiPermissions.read)
  @InSpace('query.space')
  @Render('wiki/deleted')
  async deleted(
    @CurrentUser() user: SignedInUser | null,
    @Query('space') space?: string,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const { spaceKey, slug, name } = await this.paths.spaceKeyOf(user, space || ORG_SPACE_KEY);
    await this.access.assertInSpace(user, wikiPermissions.restore, spaceKey);
    const { rows, more } = await this.listing.deleted(spaceKey, 50, decodeCursor<{ at: string; id: string }>(cursor));
    const last = rows[rows.length - 1];
    return {
      title: 'wiki.deleted.title',
      spaceSegment: slug ?? ORG_SPACE_KEY,
      spaceName: name,
      pages: rows.map((r) => ({ ...this.listing.summary(r, slug), deletedAt: r.deletedAt })),
      nextCursor: more && last ? encodeCursor({ at: last.deletedAt!.toISOString(), id: last.id }) : null,
    };
  }

  /** A page by id (links in notifications and the activity stream): to its address. */
  @Get(':id')
  @RequirePermission(wikiPermissions.read)
  async byId(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const access = await this.access.read(user, id);
    return redirect(pageUrl(access.space?.slug ?? null, access.page.path));
  }

  @Get(':id/backlinks')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/backlinks')
  async backlinks(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const access = await this.access.read(user, id);
    const { rows, more } = await this.listing.backlinks(
      user,
      access.page,
      50,
      decodeCursor<{ t: string; id: string }>(cursor),
    );
    const last = rows[rows.length - 1];
    const chrome = await this.chrome.chrome(user, access);
    return {
      ...chrome,
      backlinks: rows.map((r) => this.listing.summary(r, access.space?.slug ?? null)),
      nextCursor: more && last ? encodeCursor({ t: last.titleKey, id: last.id }) : null,
    };
  }

  @Get(':id/move')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/move')
  async moveForm(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedIn(user);
    return this.movePage(viewer, id, emptyForm());
  }

  @Post(':id/move')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/move')
  async move(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, ['parentId']);
    try {
      const moved = await this.pages.move(viewer, id, values.parentId || null);
      return redirect(pageUrl(await this.paths.spaceSlug(moved.spaceKey), moved.path), {
        kind: 'success',
        message: 'wiki.flash.moved',
      });
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.movePage(viewer, id, again.form);
    }
  }

  @Post(':id/delete')
  @RequirePermission(wikiPermissions.read)
  async delete(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { space } = await this.access.read(viewer, id);
    await this.pages.delete(viewer, id);
    return redirect(`/wiki/${space?.slug ?? ORG_SPACE_KEY}`, { kind: 'success', message: 'wiki.flash.deleted' });
  }

  @Post(':id/restore')
  @RequirePermission(wikiPermissions.read)
  async restore(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const page = await this.pages.restore(viewer, id);
    return redirect(pageUrl(await this.paths.spaceSlug(page.spaceKey), page.path), {
      kind: 'success',
      message: 'wiki.flash.restored',
    });
  }

  /** `mode`: `page`, `subtree`, or `off`. */
  @Post(':id/watch')
  @RequirePermission(wikiPermissions.read)
  async watch(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const access = await this.access.read(viewer, id);
    const { mode } = formValues(body, ['mode']);
    if (mode === 'page' || mode === 'subtree') await this.watches.watch(viewer.id, access.page.id, mode);
    else await this.watches.unwatch(viewer.id, access.page.id);
    const message =
      mode === 'page'
        ? 'wiki.flash.watching'
        : mode === 'subtree'
          ? 'wiki.flash.watchingSubtree'
          : 'wiki.flash.unwatched';
    return redirect(pageUrl(access.space?.slug ?? null, access.page.path), { kind: 'success', message });
  }

  @Post(':id/template')
  @RequirePermission(wikiPermissions.read)
  async template(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const { template } = formValues(body, ['template']);
    try {
      const page = await this.pages.setTemplate(viewer, id, template === 'on');
      return redirect(pageUrl(await this.paths.spaceSlug(page.spaceKey), page.path), {
        kind: 'success',
        message: page.isTemplate ? 'wiki.flash.template' : 'wiki.flash.notTemplate',
      });
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409)
        return redirect(`/wiki/p/${id}`, { kind: 'error', message: 'wiki.flash.failed' });
      throw error;
    }
  }

  private async movePage(viewer: Viewer, id: string, form: WikiForm): Promise<PageData> {
    const access = await this.access.read(viewer, id);
    await this.access.assert(viewer, wikiPermissions.edit, access.page);
    const chrome = await this.chrome.chrome(viewer, access);
    const targets = await this.listing.moveTargets(viewer, access.page, access.space?.slug ?? null);
    const chosen = form.values.parentId ?? access.page.parentId ?? '';
    return {
      ...chrome,
      form,
      targets: targets.map((t) => ({ ...t, depth: t.path.split('/').length - 1, selected: t.id === chosen })),
      atTop: !chosen,
    };
  }
}
