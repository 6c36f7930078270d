import { Injectable } from '@nestjs/common';
import { Database, type SpaceFinder } from '@plein/sdk';
import { ORG_SPACE_KEY, WikiPage } from '../entities/wiki-page.entity';

/**
 * The space a page lives in, for core's `@InSpace` check: a page in a space that turned the wiki
 * off answers 404 there by id too (its history, editor, diff, the API). Organisation-wide pages are
 * in no space. Core asks only while some space has the wiki off; each answer is one read by primary
 * key.
 */
@Injectable()
export class WikiSpacesService {
  constructor(private readonly db: Database) {}

  async ofPage(id: string | undefined): Promise<string | null> {
    if (!id || id.length > 64) return null;
    const page = await this.db.repository(WikiPage).findOne({ select: { id: true, spaceKey: true }, where: { id } });
    return page && page.spaceKey !== ORG_SPACE_KEY ? page.spaceKey : null;
  }
}

/** `@InSpace` finder for the routes about one page (`:id`); null for routes without one. */
export const pageSpace: SpaceFinder = (request, plugin) => plugin.get(WikiSpacesService).ofPage(request.params.id);
