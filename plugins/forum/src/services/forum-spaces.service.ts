import { Injectable } from '@nestjs/common';
import { Database, type SpaceFinder } from '@plein/sdk';
import { ForumCategory } from '../entities/forum-category.entity';
import { ForumPost } from '../entities/forum-post.entity';
import { ForumTopic } from '../entities/forum-topic.entity';
import { idLike } from './forum-names';

/**
 * The space a category, topic or post lives in, for core's `@InSpace` check: a category bound to a
 * space that turned the forum off takes its topics and posts with it. Core asks only while some
 * space has the forum off, and each answer is one read by primary key (a slug: by its index).
 */
@Injectable()
export class ForumSpacesService {
  constructor(private readonly db: Database) {}

  async ofCategory(ref: string | undefined): Promise<string | null> {
    if (!ref || !idLike(ref)) return null;
    const found = await this.db
      .repository(ForumCategory)
      .find({ select: { id: true, spaceId: true }, where: [{ id: ref }, { slug: ref }], take: 2 });
    return (found.find((c) => c.id === ref) ?? found[0])?.spaceId ?? null;
  }

  async ofTopic(id: string | undefined): Promise<string | null> {
    if (!id || !idLike(id)) return null;
    return (
      (await this.db.repository(ForumTopic).findOne({ select: { id: true, spaceId: true }, where: { id } }))?.spaceId ??
      null
    );
  }

  async ofPost(id: string | undefined): Promise<string | null> {
    if (!id || !idLike(id)) return null;
    const post = await this.db.repository(ForumPost).findOne({ select: { id: true, topicId: true }, where: { id } });
    return post ? this.ofTopic(post.topicId) : null;
  }
}

/** `@InSpace` finders for the forum's routes, by what their `:id` or `:slug` names. */
export const forumSpaceOf = {
  category: ((request, plugin) =>
    plugin.get(ForumSpacesService).ofCategory(request.params.id ?? request.params.slug)) as SpaceFinder,
  topic: ((request, plugin) => plugin.get(ForumSpacesService).ofTopic(request.params.id)) as SpaceFinder,
  post: ((request, plugin) => plugin.get(ForumSpacesService).ofPost(request.params.id)) as SpaceFinder,
};
