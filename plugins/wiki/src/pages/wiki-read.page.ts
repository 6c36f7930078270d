import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import {
  AnonymousCache,
  CurrentUser,
  InSpace,
  Render,
  RequirePermission,
  Spaces,
  type PageData,
  type SignedInUser,
} from '@plein/sdk';
import { ORG_SPACE_KEY } from '../entities/wiki-page.entity';
import { wikiPermissions } from '../permissions';
import { WikiAccessService } from '../services/wiki-access.service';
import { WikiListingService } from '../services/wiki-listing.service';
import { WikiPathsService } from '../services/wiki-paths.service';
import type { ReplyLike } from './page-support';
import { WikiPageData } from './wiki-page-data';

/**
 * Reading: `/wiki` (organisation-wide pages, the spaces with pages, title search),
 * `/wiki/<space>` (a space's tree; `-` for organisation-wide) and `/wiki/<space>/<path>` (a page,
 * with the tree sidebar and table of contents; a former address answers 301).
 */
@Controller()
export class WikiReadPage {
  constructor(
    private readonly access: WikiAccessService,
    private readonly listing: WikiListingService,
    private readonly paths: WikiPathsService,
    private readonly chrome: WikiPageData,
    private readonly spaces: Spaces,
  ) {}

  @Get()
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/index')
  async index(@CurrentUser() user: SignedInUser | null, @Query('q') q?: string): Promise<PageData> {
    const query = typeof q === 'string' ? q.trim().slice(0, 200) : '';
    const [tree, keys, canCreate] = await Promise.all([
      this.listing.tree(user, ORG_SPACE_KEY, null),
      this.listing.spaceKeys(user),
      this.access.canInSpace(user, wikiPermissions.create, ORG_SPACE_KEY),
    ]);
    const spaces = [];
    for (const key of keys.filter((k) => k !== ORG_SPACE_KEY)) {
      const space = await this.spaces.find(key);
      if (space) spaces.push({ slug: space.slug, name: space.name });
    }
    spaces.sort((a, b) => a.name.localeCompare(b.name));
    let results = null;
    if (query) {
      const { rows } = await this.listing.search(user, { q: query }, 50, null);
      results = [];
      for (const r of rows)
        results.push(
          this.listing.summary(r, r.spaceKey === ORG_SPACE_KEY ? null : await this.paths.spaceSlug(r.spaceKey)),
        );
    }
    return { title: 'wiki.index.title', tree: tree.items, spaces, canCreate, q: query, results };
  }

  @Get(':space')
  @RequirePermission(wikiPermissions.read)
  @InSpace('params.space')
  @Render('wiki/space')
  async space(@Param('space') segment: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const { spaceKey, slug, name } = await this.paths.spaceKeyOf(user, segment);
    await this.access.assertInSpace(user, wikiPermissions.read, spaceKey);
    const [tree, canCreate, canRestore] = await Promise.all([
      this.listing.tree(user, spaceKey, slug),
      this.access.canInSpace(user, wikiPermissions.create, spaceKey),
      this.access.canInSpace(user, wikiPermissions.restore, spaceKey),
    ]);
    return {
      title: name ?? 'wiki.org.title',
      spaceSegment: slug ?? ORG_SPACE_KEY,
      spaceName: name,
      tree: tree.items,
      truncated: tree.truncated,
      canCreate,
      canRestore,
    };
  }

  @Get(':space/*')
  @RequirePermission(wikiPermissions.read)
  @InSpace('params.space')
  @Render('wiki/page')
  // Readers who are not signed in share the rendered page for a few seconds (the bench's read path).
  @AnonymousCache(10)
  async read(
    @Param('space') segment: string,
    @Param('*') path: string,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData> {
    const found = await this.paths.find(user, segment, path ?? '');
    if (!found) throw new NotFoundException(`No wiki page at '${path}'`);
    if (found.movedFrom) {
      // An old address (before a rename or a move): permanently elsewhere.
      reply.status(301).header('location', found.url);
      return { title: 'wiki.moved.title', moved: found.url };
    }
    const { access } = found;
    const chrome = await this.chrome.chrome(user, access, { children: true, watching: user !== null });
    const sidebar = await this.listing.sidebar(user, access.page, access.space?.slug ?? null);
    // A table of contents once a page has a few sections.
    const toc = chrome.page.toc.length >= 3 ? chrome.page.toc : [];
    return { ...chrome, sidebar, toc, status: access.record.status, statusReason: chrome.page.statusReason };
  }
}
