import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { CurrentUser, InSpace, RequirePermission, Settings, type SignedInUser } from '@plein/sdk';
import { EditPostDto } from '../dto/forum.dto';
import { forumPermissions } from '../permissions';
import type { ForumSettings } from '../settings';
import { ForumAccessService, signedIn, type PostAccess, type Viewer } from '../services/forum-access.service';
import { pageOf } from '../services/forum-paging';
import { ForumPostsService, type RevisionView } from '../services/forum-posts.service';
import { ForumViewService, type PostView } from '../services/forum-view.service';
import { forumSpaceOf } from '../services/forum-spaces.service';

/** One post: read, edit (history kept, 409 on a stale version), delete and restore, its history. */
@Controller('posts')
@InSpace(forumSpaceOf.post)
export class ForumPostsController {
  constructor(
    private readonly settings: Settings,
    private readonly access: ForumAccessService,
    private readonly posts: ForumPostsService,
    private readonly views: ForumViewService,
  ) {}

  /** The post, with `page`: the page of its topic that shows it (at the default page size). */
  @Get(':id')
  @RequirePermission(forumPermissions.read)
  async one(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PostView & { page: number }> {
    return this.describe(user, await this.access.post(user, id));
  }

  private async describe(viewer: Viewer, access: PostAccess): Promise<PostView & { page: number }> {
    const { post, topic, moderator, postRecord } = access;
    const [view] = await this.views.posts(
      viewer,
      [post],
      { spaceId: topic.spaceId, solutionPostId: topic.solutionPostId, moderator },
      new Map([[postRecord.id, postRecord]]),
    );
    const { postsPerPage } = await this.settings.get<ForumSettings>();
    return { ...view, page: pageOf(post.position, postsPerPage) };
  }

  /** `{ body?, title? (opening post), baseVersion }` → the post; 409 with both texts when stale. */
  @Put(':id')
  @RequirePermission(forumPermissions.read)
  async edit(
    @Param('id') id: string,
    @Body() body: EditPostDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView & { page: number }> {
    const viewer = signedIn(user);
    await this.posts.edit(viewer, id, body);
    return this.describe(viewer, await this.access.post(viewer, id));
  }

  /** Soft delete (own posts with `delete-own`); the opening post deletes its topic. `?reason=` */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(forumPermissions.read)
  async remove(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('reason') reason?: string,
  ): Promise<void> {
    await this.posts.delete(signedIn(user), id, reason?.slice(0, 500) || null);
  }

  /** Moderators bring a deleted post back. */
  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  async restore(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<PostView & { page: number }> {
    const viewer = signedIn(user);
    await this.posts.restore(viewer, id);
    return this.describe(viewer, await this.access.post(viewer, id));
  }

  /** Every version, newest first (the current one first). */
  @Get(':id/revisions')
  @RequirePermission(forumPermissions.read)
  async revisions(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<{ items: RevisionView[]; nextCursor: null }> {
    const { items } = await this.posts.revisions(user, id);
    return { items, nextCursor: null };
  }
}
