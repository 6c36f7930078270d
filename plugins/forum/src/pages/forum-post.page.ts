import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Res } from '@nestjs/common';
import {
  CurrentUser,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  Users,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { forumPermissions } from '../permissions';
import { ForumAccessService, type PostAccess, type Viewer } from '../services/forum-access.service';
import { ForumPostsService } from '../services/forum-posts.service';
import { topicUrl } from '../services/forum-view.service';
import { ForumPageData } from './forum-page-data';
import { postLocation } from './forum-topic.page';
import { emptyForm, formFromError, formValues, signedInPage, type ForumForm, type ReplyLike } from './page-support';
import { forumSpaceOf } from '../services/forum-spaces.service';

/**
 * One post: its address (`/forum/posts/<id>`, used by notifications and search, answers 303 to the
 * page of the topic that shows it), the editor (a stale save shows both texts to merge), its
 * history, and the delete and restore buttons.
 */
@Controller('posts')
@InSpace(forumSpaceOf.post)
export class ForumPostPage {
  constructor(
    private readonly access: ForumAccessService,
    private readonly posts: ForumPostsService,
    private readonly users: Users,
    private readonly data: ForumPageData,
  ) {}

  @Get(':id')
  @RequirePermission(forumPermissions.read)
  async locate(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const { post, topic } = await this.access.post(user, id);
    const { postsPerPage } = await this.data.config();
    return redirect(postLocation(topic.mergedIntoId ?? topic.id, post.position, postsPerPage));
  }

  @Get(':id/edit')
  @RequirePermission(forumPermissions.read)
  @Render('forum/post-edit')
  async editForm(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedInPage(user);
    const access = await this.access.post(viewer, id);
    await this.access.assertIn(viewer, forumPermissions.edit, access.at, access.post.authorId);
    const { post, topic } = access;
    return this.editPage(
      access,
      emptyForm({ body: post.body, title: topic.title, baseVersion: String(post.version) }),
      null,
    );
  }

  @Post(':id/edit')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @Render('forum/post-edit')
  async save(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const values = formValues(body, ['body', 'title', 'baseVersion']);
    const access = await this.access.post(viewer, id);
    const opening = access.post.contentId === access.topic.contentId;
    const baseVersion = Number(values.baseVersion);
    try {
      const { post, record } = await this.posts.edit(viewer, id, {
        body: values.body ?? '',
        title: opening ? (values.title ?? null) : null,
        baseVersion: Number.isInteger(baseVersion) && baseVersion > 0 ? baseVersion : 0,
      });
      const { postsPerPage } = await this.data.config();
      return redirect(
        postLocation(access.topic.id, post.position, postsPerPage),
        record.status === 'pending' && access.postRecord.status === 'published'
          ? { kind: 'warning', message: 'forum.flash.editHeld' }
          : {
              kind: 'success',
              message: post.version === access.post.version ? 'forum.flash.unchanged' : 'forum.flash.saved',
            },
      );
    } catch (error) {
      const current =
        error instanceof HttpException && error.getStatus() === 409
          ? (error.getResponse() as { current?: { version: number; body: string; title: string | null } }).current
          : undefined;
      if (current) {
        reply.status(409);
        const form = emptyForm({ ...values, baseVersion: String(current.version) });
        return this.editPage(access, form, {
          current,
          yours: { body: values.body ?? '', baseVersion: values.baseVersion },
        });
      }
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.editPage(access, again.form, null);
    }
  }

  private editPage(
    access: PostAccess,
    form: ForumForm,
    conflict: {
      current: { version: number; body: string; title: string | null };
      yours: { body: string; baseVersion?: string };
    } | null,
  ): PageData {
    const { post, topic, at } = access;
    return {
      title: 'forum.edit.title',
      topicTitle: topic.title,
      topicUrl: topicUrl(topic.id),
      breadcrumb: this.data.breadcrumb(at),
      postId: post.id,
      opening: post.contentId === topic.contentId,
      form,
      conflict,
    };
  }

  @Get(':id/history')
  @RequirePermission(forumPermissions.read)
  @Render('forum/post-history')
  async history(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const { access, items } = await this.posts.revisions(user, id);
    const people = await this.users.findByIds([...new Set(items.map((r) => r.editorId))]);
    const { postsPerPage } = await this.data.config();
    return {
      title: 'forum.history.title',
      topicTitle: access.topic.title,
      breadcrumb: this.data.breadcrumb(access.at),
      postUrl: postLocation(access.topic.id, access.post.position, postsPerPage),
      revisions: items.map((r) => ({ ...r, editor: people.get(r.editorId) ?? null })),
    };
  }

  @Post(':id/delete')
  @RequirePermission(forumPermissions.read)
  async delete(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const access = await this.posts.delete(viewer, id, null);
    const opening = access.post.contentId === access.topic.contentId;
    return redirect(await this.after(viewer, access), {
      kind: 'success',
      message: opening ? 'forum.flash.topicDeleted' : 'forum.flash.deleted',
    });
  }

  /** Where to go after a removal: the topic when the viewer still sees it, else its category. */
  private async after(viewer: Viewer, access: PostAccess): Promise<string> {
    try {
      await this.access.topic(viewer, access.topic.id);
      const { postsPerPage } = await this.data.config();
      return postLocation(access.topic.id, access.post.position, postsPerPage);
    } catch {
      return `/forum/c/${access.at.category.slug}`;
    }
  }

  @Post(':id/restore')
  @RequirePermission(forumPermissions.read)
  async restore(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const access = await this.posts.restore(viewer, id);
    const { postsPerPage } = await this.data.config();
    return redirect(postLocation(access.topic.id, access.post.position, postsPerPage), {
      kind: 'success',
      message: access.post.contentId === access.topic.contentId ? 'forum.flash.topicRestored' : 'forum.flash.restored',
    });
  }
}
