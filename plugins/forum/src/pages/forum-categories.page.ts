import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  CurrentUser,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  Spaces,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { forumPermissions } from '../permissions';
import { ForumAccessService, type CategoryAccess, type Viewer } from '../services/forum-access.service';
import { ForumCategoriesService } from '../services/forum-categories.service';
import { GRANT_ACTIONS, parseGrants, type CategoryGrants } from '../services/forum-grants';
import { categoryUrl } from '../services/forum-view.service';
import { emptyForm, formFromError, formValues, signedInPage, type ForumForm, type ReplyLike } from './page-support';
import { forumSpaceOf } from '../services/forum-spaces.service';

const CATEGORY_FIELDS = ['name', 'slug', 'description', 'space', 'parentId', 'position'] as const;

/**
 * Managing categories (`forum.category.manage`): `/forum/categories/new`, and
 * `/forum/c/<slug>/edit` with the category's fields, its grants and its deletion.
 */
@Controller()
export class ForumCategoriesPage {
  constructor(
    private readonly access: ForumAccessService,
    private readonly categories: ForumCategoriesService,
    private readonly spaces: Spaces,
  ) {}

  @Get('categories/new')
  @RequirePermission(forumPermissions.read)
  @Render('forum/category-form')
  async newForm(@CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedInPage(user);
    if (!(await this.categories.managedPlaces(viewer)).length)
      throw new ForbiddenException(`You do not have the permission '${forumPermissions.manage.name}' anywhere`);
    return this.formPage(
      viewer,
      null,
      emptyForm({ name: '', slug: '', description: '', space: '', parentId: '', position: '' }),
    );
  }

  @Post('categories/new')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @InSpace('body.space')
  @Render('forum/category-form')
  async create(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const values = formValues(body, CATEGORY_FIELDS);
    try {
      const category = await this.categories.create(viewer, this.input(values));
      return redirect(categoryUrl(category.slug), { kind: 'success', message: 'forum.flash.categoryCreated' });
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.formPage(viewer, null, this.renameSpace(again.form));
    }
  }

  @Get('c/:slug/edit')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/category-form')
  async editForm(@Param('slug') slug: string, @CurrentUser() user: SignedInUser | null): Promise<PageData> {
    const viewer = signedInPage(user);
    const at = await this.managed(viewer, slug);
    const { category } = at;
    return this.formPage(
      viewer,
      at,
      emptyForm({
        name: category.name,
        slug: category.slug,
        description: category.description,
        space: at.space?.slug ?? '',
        parentId: category.parentId ?? '',
        position: String(category.position),
      }),
    );
  }

  @Post('c/:slug/edit')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/category-form')
  async save(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const at = await this.managed(viewer, slug);
    const values = formValues(body, CATEGORY_FIELDS);
    try {
      const category = await this.categories.update(viewer, at.category.id, this.input(values));
      return redirect(categoryUrl(category.slug), { kind: 'success', message: 'forum.flash.categorySaved' });
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.formPage(viewer, at, this.renameSpace(again.form));
    }
  }

  /** Per action: `<action>Mode` = `inherit` or `only`, and `<action>Roles` = roles separated by commas or spaces. */
  @Post('c/:slug/grants')
  @HttpCode(200)
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  @Render('forum/category-form')
  async grants(
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedInPage(user);
    const at = await this.managed(viewer, slug);
    const values = formValues(
      body,
      GRANT_ACTIONS.flatMap((a) => [`${a}Mode`, `${a}Roles`]),
    );
    const grants: Record<string, string[] | null> = {};
    for (const action of GRANT_ACTIONS)
      grants[action] =
        values[`${action}Mode`] === 'only' ? (values[`${action}Roles`] ?? '').split(/[\s,]+/).filter(Boolean) : null;
    try {
      await this.categories.setGrants(viewer, at.category.id, grants);
      return redirect(`${categoryUrl(at.category.slug)}/edit`, { kind: 'success', message: 'forum.flash.grantsSaved' });
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      const form = this.formPage(viewer, at, emptyForm());
      return { ...(await form), grantsForm: again.form };
    }
  }

  @Post('c/:slug/delete')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async remove(@Param('slug') slug: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    const viewer = signedInPage(user);
    const at = await this.managed(viewer, slug);
    try {
      await this.categories.remove(viewer, at.category.id);
    } catch (error) {
      if (formFromError(error, {}))
        return redirect(`${categoryUrl(at.category.slug)}/edit`, {
          kind: 'error',
          message: 'forum.flash.categoryNotEmpty',
        });
      throw error;
    }
    return redirect('/forum', { kind: 'success', message: 'forum.flash.categoryDeleted' });
  }

  private async managed(viewer: SignedInUser, slug: string): Promise<CategoryAccess> {
    const at = await this.access.category(viewer, slug);
    await this.access.assertIn(viewer, forumPermissions.manage, at);
    return at;
  }

  private input(values: Record<string, string>) {
    const position = values.position && /^\d{1,6}$/.test(values.position) ? Number(values.position) : undefined;
    return {
      name: values.name ?? '',
      slug: values.slug ?? '',
      description: values.description ?? '',
      spaceId: values.space?.trim() || null,
      parentId: values.parentId || null,
      ...(position === undefined ? {} : { position }),
    };
  }

  /** The service names `spaceId`; the form's field is `space`. */
  private renameSpace(form: ForumForm): ForumForm {
    if (form.errors.spaceId) {
      form.errors.space = form.errors.spaceId;
      delete form.errors.spaceId;
    }
    for (const entry of form.summary) if (entry.field === 'spaceId') entry.field = 'space';
    return form;
  }

  private async formPage(viewer: Viewer, at: CategoryAccess | null, form: ForumForm): Promise<PageData> {
    const tops = (await this.categories.list(viewer)).filter(
      (c) => !c.category.parentId && c.category.id !== at?.category.id,
    );
    const grants: CategoryGrants = at ? parseGrants(at.category.grants) : {};
    const spaces = [];
    for (const id of await this.categories.managedPlaces(viewer)) {
      const space = id ? await this.spaces.find(id) : null;
      if (space) spaces.push({ slug: space.slug, name: space.name });
    }
    return {
      title: at ? 'forum.categoryForm.editTitle' : 'forum.categoryForm.newTitle',
      category: at ? { name: at.category.name, slug: at.category.slug, url: categoryUrl(at.category.slug) } : null,
      form,
      parents: tops.map((c) => ({
        id: c.category.id,
        name: c.category.name,
        selected: c.category.id === form.values.parentId,
      })),
      spaces: spaces.sort((a, b) => a.name.localeCompare(b.name)),
      grants: GRANT_ACTIONS.map((action) => ({
        action,
        restricted: grants[action] !== undefined,
        roles: (grants[action] ?? []).join(', '),
      })),
      grantsForm: emptyForm(),
    };
  }
}
