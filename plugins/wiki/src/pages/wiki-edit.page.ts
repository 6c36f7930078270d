import { Body, Controller, Get, HttpCode, HttpException, Param, Post, Query, Res } from '@nestjs/common';
import {
  CurrentUser,
  InSpace,
  redirect,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { ORG_SPACE_KEY, type WikiPage } from '../entities/wiki-page.entity';
import { wikiPermissions } from '../permissions';
import { WikiAccessService, type Viewer } from '../services/wiki-access.service';
import { lineHunks, sideBySide } from '../services/wiki-diff';
import { WikiListingService } from '../services/wiki-listing.service';
import { pageUrl } from '../services/wiki-names';
import { WikiPagesService } from '../services/wiki-pages.service';
import { WikiPathsService } from '../services/wiki-paths.service';
import { WikiRenderService } from '../services/wiki-render.service';
import { emptyForm, formFromError, formValues, signedIn, type ReplyLike, type WikiForm } from './page-support';
import { WikiPageData } from './wiki-page-data';
import { pageSpace } from '../services/wiki-spaces.service';

const NEW_FIELDS = ['title', 'body', 'summary', 'slug', 'templateId', 'parentId', 'spaceId', 'action'] as const;
const EDIT_FIELDS = ['title', 'body', 'summary', 'slug', 'baseRevision', 'action'] as const;

/**
 * Writing: `/wiki/p/new` and `/wiki/p/<id>/edit`. The preview button posts the form and shows it
 * again with the rendered text, so it works without JavaScript. A stale save shows the merge view:
 * the current text and yours side by side, their differences, and a text area to resolve them,
 * saved with the current revision as its base.
 */
@Controller('p')
@InSpace(pageSpace)
export class WikiEditPage {
  constructor(
    private readonly access: WikiAccessService,
    private readonly pages: WikiPagesService,
    private readonly listing: WikiListingService,
    private readonly renderer: WikiRenderService,
    private readonly paths: WikiPathsService,
    private readonly chrome: WikiPageData,
  ) {}

  @Get('new')
  @RequirePermission(wikiPermissions.read)
  @InSpace('query.space')
  @Render('wiki/new')
  async newForm(
    @CurrentUser() user: SignedInUser | null,
    @Query('space') space?: string,
    @Query('parent') parent?: string,
    @Query('title') title?: string,
    @Query('template') template?: string,
  ): Promise<PageData> {
    const viewer = signedIn(user);
    const target = await this.target(viewer, space, parent);
    let body = '';
    if (template) body = (await this.pages.template(viewer, template, target.spaceKey)).body;
    const form = emptyForm({
      title: typeof title === 'string' ? title.slice(0, 200) : '',
      body,
      templateId: template ?? '',
      parentId: target.parent?.id ?? '',
      spaceId: target.spaceField,
    });
    return this.newPage(viewer, target, form);
  }

  @Post('new')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.create, { space: 'body.spaceId' })
  @Render('wiki/new')
  async create(
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, NEW_FIELDS);
    const target = await this.target(viewer, values.spaceId || ORG_SPACE_KEY, values.parentId);
    if (values.action === 'template' && values.templateId) {
      values.body = (await this.pages.template(viewer, values.templateId, target.spaceKey)).body;
      return this.newPage(viewer, target, emptyForm(values));
    }
    if (values.action === 'preview')
      return {
        ...(await this.newPage(viewer, target, emptyForm(values))),
        preview: await this.preview(target.spaceKey, values.body ?? ''),
      };
    try {
      const page = await this.pages.create(viewer, {
        title: values.title ?? '',
        body: values.body ?? '',
        spaceId: target.space,
        parentId: target.parent?.id ?? null,
        slug: values.slug || null,
        summary: values.summary || null,
        templateId: values.templateId || null,
      });
      return redirect(pageUrl(target.slug, page.path), { kind: 'success', message: 'wiki.flash.created' });
    } catch (error) {
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.newPage(viewer, target, again.form);
    }
  }

  @Get(':id/edit')
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/edit')
  async editForm(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const access = await this.access.read(viewer, id);
    await this.access.assert(viewer, wikiPermissions.edit, access.page);
    // Someone who may only read the last published revision must not see the held one here.
    if (access.view !== 'current')
      return redirect(`/wiki/p/${id}`, { kind: 'warning', message: 'wiki.flash.pendingReview' });
    const { page } = access;
    return this.editPage(
      viewer,
      id,
      emptyForm({
        title: page.title,
        body: page.body,
        slug: page.slug,
        summary: '',
        baseRevision: String(page.revision),
      }),
    );
  }

  @Post(':id/edit')
  @HttpCode(200)
  @RequirePermission(wikiPermissions.read)
  @Render('wiki/edit')
  async save(
    @Param('id') id: string,
    @Body() body: unknown,
    @CurrentUser() user: SignedInUser | null,
    @Res({ passthrough: true }) reply: ReplyLike,
  ): Promise<PageData | PageRedirect> {
    const viewer = signedIn(user);
    const values = formValues(body, EDIT_FIELDS);
    const access = await this.access.read(viewer, id);
    if (access.view !== 'current')
      return redirect(`/wiki/p/${id}`, { kind: 'warning', message: 'wiki.flash.pendingReview' });
    if (values.action === 'preview')
      return {
        ...(await this.editPage(viewer, id, emptyForm(values))),
        preview: await this.preview(access.page.spaceKey, values.body ?? ''),
      };
    const baseRevision = Number(values.baseRevision);
    try {
      const saved = await this.pages.update(viewer, id, {
        title: values.title ?? null,
        body: values.body ?? null,
        slug: values.slug && values.slug !== access.page.slug ? values.slug : null,
        summary: values.summary || null,
        baseRevision: Number.isInteger(baseRevision) && baseRevision > 0 ? baseRevision : 0,
      });
      const url = pageUrl(access.space?.slug ?? null, saved.path);
      return redirect(url, {
        kind: 'success',
        message: saved.revision === access.page.revision ? 'wiki.flash.unchanged' : 'wiki.flash.saved',
      });
    } catch (error) {
      const current =
        error instanceof HttpException && error.getStatus() === 409
          ? (error.getResponse() as { current?: { revision: number; title: string; body: string } }).current
          : undefined;
      if (current) {
        reply.status(409);
        return this.mergePage(viewer, id, values, current);
      }
      const again = formFromError(error, values);
      if (!again) throw error;
      reply.status(again.status);
      return this.editPage(viewer, id, again.form);
    }
  }

  // ----- view data

  /** Where a new page goes: a space (or organisation-wide) and maybe a parent. */
  private async target(viewer: Viewer, space: string | undefined, parentId: string | undefined) {
    const { spaceKey, slug, name } = await this.paths.spaceKeyOf(viewer, space || ORG_SPACE_KEY);
    const parent: WikiPage | null = parentId ? await this.access.parent(viewer, parentId, spaceKey, 'parentId') : null;
    await this.access.assertInSpace(viewer, wikiPermissions.create, spaceKey);
    return { spaceKey, slug, name, parent, space: slug, spaceField: slug ?? '' };
  }

  private async newPage(
    viewer: Viewer,
    target: Awaited<ReturnType<WikiEditPage['target']>>,
    form: WikiForm,
  ): Promise<PageData> {
    const templates = await this.listing.search(viewer, { templatesOf: target.spaceKey }, 100, null);
    return {
      title: 'wiki.new.title',
      form,
      spaceName: target.name,
      spaceSegment: target.slug ?? ORG_SPACE_KEY,
      parent: target.parent
        ? { id: target.parent.id, title: target.parent.title, url: pageUrl(target.slug, target.parent.path) }
        : null,
      templates: templates.rows.map((t) => ({ id: t.id, title: t.title, selected: t.id === form.values.templateId })),
      preview: null,
    };
  }

  private async editPage(viewer: Viewer, id: string, form: WikiForm): Promise<PageData> {
    const access = await this.access.read(viewer, id);
    const chrome = await this.chrome.chrome(viewer, access);
    return { ...chrome, form, preview: null, merge: null };
  }

  private async mergePage(
    viewer: Viewer,
    id: string,
    values: Record<string, string>,
    current: { revision: number; title: string; body: string },
  ): Promise<PageData> {
    const yours = values.body ?? '';
    const form = emptyForm({ ...values, baseRevision: String(current.revision), body: yours });
    const data = await this.editPage(viewer, id, form);
    return {
      ...data,
      merge: {
        current,
        yours: { title: values.title ?? current.title, body: yours, baseRevision: values.baseRevision },
        rows: sideBySide(lineHunks(current.body, yours)),
        titleDiffers: (values.title ?? current.title) !== current.title,
      },
    };
  }

  /** The preview: rendered like a save would, and never stored. */
  private async preview(spaceKey: string, body: string): Promise<string> {
    return (await this.renderer.render(spaceKey, body.slice(0, 900_000))).html;
  }
}
