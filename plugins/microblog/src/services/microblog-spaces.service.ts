import { Injectable } from '@nestjs/common';
import { Database, type SpaceFinder } from '@plein/sdk';
import { MicroblogPost } from '../entities/microblog-post.entity';

/**
 * The space a post lives in, for core's `@InSpace` check: a post (and its thread, its history, its
 * buttons) in a space that turned the microblog off answers 404 there. Core asks only while some
 * space has the microblog off; each answer is one read by primary key.
 */
@Injectable()
export class MicroblogSpacesService {
  constructor(private readonly db: Database) {}

  async ofPost(id: string | undefined): Promise<string | null> {
    if (!id || id.length > 64) return null;
    return (
      (await this.db.repository(MicroblogPost).findOne({ select: { id: true, spaceId: true }, where: { id } }))
        ?.spaceId ?? null
    );
  }
}

/** `@InSpace` finder for the routes about one post (`:id`); null for routes without one. */
export const postSpace: SpaceFinder = (request, plugin) => plugin.get(MicroblogSpacesService).ofPost(request.params.id);
