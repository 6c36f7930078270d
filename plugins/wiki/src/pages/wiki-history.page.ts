import { Body, Controller, Get, HttpException, Param, Post, Query } from '@nestjs/common';
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
import { wikiPermissions } from '../permissions';
import { WikiAccessService } from '../services/wiki-access.service';
import { sideBySide } from '../services/wiki-diff';
import { revisionNumber } from '../services/wiki-names';
import { WikiPagesService } from '../services/wiki-pages.service';
import { WikiRevisionsService } from '../services/wiki-revisions.service';
import { formValues, signedIn } from './page-support';
import { WikiPageData } from './wiki-page-data';
import { pageSpace } from '../services/wiki-spaces.service';

/** `/wiki/p/<id>/history`, one revision, the side-by-side diff, and restoring an old revision. */
@Controller('p')
@InSpace(pageSpace)
export class WikiHistoryPage {
  constructor(
    private readonly access: WikiAccessService,
    private readonly pages: WikiPagesService,
    private readonly revisions: WikiRevisionsService,
    private readonly chrome: WikiPageData,
  ) {}

  @Get(':id/history')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/history')
  async history(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('cursor') cursor?: string,
  ): Promise<PageData> {
    const access = await this.access.read(user, id);
    const after = decodeCursor<{ before: number }>(cursor);
    const { items, more } = await this.revisions.history(
      access,
      50,
      after ? revisionNumber(after.before, 'cursor') : null,
    );
    const last = items[items.length - 1];
    const chrome = await this.chrome.chrome(user, access);
    return {
      ...chrome,
      revisions: items.map((r, i) => ({
        ...r,
        checkedTo: !after && i === 0,
        checkedFrom: !after && i === 1,
        current: r.revision === access.visibleRevision,
      })),
      nextCursor: more && last ? encodeCursor({ before: last.revision }) : null,
      canCompare: access.visibleRevision > 1,
    };
  }

  @Get(':id/revisions/:rev')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/revision')
  async revision(
    @Param('id') id: string,
    @Param('rev') rev: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageData> {
    const access = await this.access.read(user, id);
    const revision = await this.revisions.one(access, revisionNumber(rev, 'rev'));
    const chrome = await this.chrome.chrome(user, access);
    return {
      ...chrome,
      revision,
      isCurrent: revision.revision === access.visibleRevision,
      previous: revision.revision > 1 ? revision.revision - 1 : null,
    };
  }

  @Post(':id/revisions/:rev/restore')
  @RequirePermission(wikiPermissions.read)
  async restore(
    @Param('id') id: string,
    @Param('rev') rev: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PageRedirect> {
    const viewer = signedIn(user);
    const number = revisionNumber(rev, 'rev');
    const access = await this.access.read(viewer, id);
    const old = await this.revisions.row(access, number, 'rev');
    const { baseRevision } = formValues(body, ['baseRevision']);
    try {
      await this.pages.update(
        viewer,
        id,
        { title: old.title, body: old.body, summary: null, baseRevision: Number(baseRevision) || access.page.revision },
        number,
      );
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 409)
        return redirect(`/wiki/p/${id}/history`, { kind: 'error', message: 'wiki.flash.restoreConflict' });
      throw error;
    }
    return redirect(`/wiki/p/${id}/history`, { kind: 'success', message: 'wiki.flash.revisionRestored' });
  }

  @Get(':id/diff')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/diff')
  async diff(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<PageData> {
    const access = await this.access.read(user, id);
    let a = from ? revisionNumber(from, 'from') : null;
    let b = to ? revisionNumber(to, 'to') : null;
    // Two radio buttons in the history compare in either order: older on the left.
    if (a !== null && b !== null && a > b) [a, b] = [b, a];
    const diff = await this.revisions.diff(access, a, b);
    const chrome = await this.chrome.chrome(user, access);
    return {
      ...chrome,
      diff,
      rows: sideBySide(diff.hunks),
      same: diff.hunks.length === 0,
      titleChanged: diff.titles.from !== diff.titles.to,
    };
  }
}
