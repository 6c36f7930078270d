import { Injectable } from '@nestjs/common';
import { Database } from '@plein/sdk';
import { WikiAlias } from '../entities/wiki-alias.entity';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';
import { WikiAccessService, type PageAccess, type Viewer } from './wiki-access.service';
import { MAX_PATH, pageUrl, SLUG_PATTERN } from './wiki-names';
import { WikiRenderService } from './wiki-render.service';

/** A page found by its address. `movedFrom` is the old path when the address was a former one. */
export interface FoundPage {
  access: PageAccess;
  /** The page's current address. */
  url: string;
  movedFrom: string | null;
}

/**
 * Addresses: `/wiki/<space slug>/<slug>/<slug>` for a space's pages, `/wiki/-/<slug>/…` for
 * organisation-wide ones. A former path (before a rename or move) finds the page too, so old
 * links answer 301 to the current address.
 */
@Injectable()
export class WikiPathsService {
  constructor(
    private readonly db: Database,
    private readonly access: WikiAccessService,
    private readonly renderer: WikiRenderService,
  ) {}

  spaceSlug(spaceKey: string): Promise<string | null> {
    return this.renderer.spaceSlug(spaceKey);
  }

  /** The space key of a URL's space segment, or 404 when the space is unknown or private. */
  async spaceKeyOf(
    viewer: Viewer,
    segment: string,
  ): Promise<{ spaceKey: string; slug: string | null; name: string | null }> {
    if (segment === ORG_SPACE_KEY) return { spaceKey: ORG_SPACE_KEY, slug: null, name: null };
    const space = await this.access.visibleSpace(viewer, segment);
    return { spaceKey: space.id, slug: space.slug, name: space.name };
  }

  /** Null when nothing is or was at that address; 404 for a private space, a page one may not see. */
  async find(viewer: Viewer, segment: string, rawPath: string): Promise<FoundPage | null> {
    const path = rawPath.replace(/^\/+|\/+$/g, '');
    // Every segment must be a slug: `..`, encoded slashes and control characters never match.
    if (!path || path.length > MAX_PATH || !path.split('/').every((s) => SLUG_PATTERN.test(s))) return null;
    const { spaceKey, slug } = await this.spaceKeyOf(viewer, segment);
    const pages = this.db.repository(WikiPage);
    let page = await pages.findOneBy({ spaceKey, path });
    let movedFrom: string | null = null;
    if (!page) {
      const alias = await this.db.repository(WikiAlias).findOneBy({ spaceKey, kind: 'path', key: path });
      if (alias) page = await pages.findOneBy({ id: alias.pageId });
      if (!page) return null;
      movedFrom = path;
    }
    const access = await this.access.readPage(viewer, page);
    return { access, url: pageUrl(slug, page.path), movedFrom };
  }
}
