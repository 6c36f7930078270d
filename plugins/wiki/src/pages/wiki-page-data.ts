import { Injectable } from '@nestjs/common';
import type { PageAccess, Viewer } from '../services/wiki-access.service';
import { WikiListingService, type PageSummary } from '../services/wiki-listing.service';
import { pageUrl, spaceSegment } from '../services/wiki-names';
import { WikiViewService, type PageAbilities, type WikiPageView } from '../services/wiki-view.service';

/** What every page about one wiki page shows around its own content. */
export interface PageChrome {
  title: string;
  page: WikiPageView;
  abilities: PageAbilities;
  breadcrumb: PageSummary[];
  /** The URL segment of the space (`-` for organisation-wide). */
  spaceSegment: string;
  /** The space's name (null for organisation-wide). */
  spaceName: string | null;
  url: string;
  signedIn: boolean;
}

/** Builds the page header (breadcrumb, actions, status) shared by the read, history and other views. */
@Injectable()
export class WikiPageData {
  constructor(
    private readonly views: WikiViewService,
    private readonly listing: WikiListingService,
  ) {}

  async chrome(
    viewer: Viewer,
    access: PageAccess,
    options: { children?: boolean; watching?: boolean } = {},
  ): Promise<PageChrome> {
    const slug = access.space?.slug ?? null;
    const [page, abilities, breadcrumb] = await Promise.all([
      this.views.describe(viewer, access, options),
      this.views.abilities(viewer, access),
      this.listing.breadcrumb(viewer, access.page, slug),
    ]);
    return {
      title: page.title,
      page,
      abilities,
      breadcrumb,
      spaceSegment: spaceSegment(slug),
      spaceName: access.space?.name ?? null,
      url: pageUrl(slug, access.page.path),
      signedIn: viewer !== null,
    };
  }
}
