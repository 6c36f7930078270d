import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentUser, InvalidInput, Render, RequirePermission, type PageData, type SignedInUser } from '@plein/sdk';
import { pluginChoices, spaceChoices } from '../activity/activity.page';
import { streamEntries } from '../activity/activity-view';
import { optionalParam, PLUGIN_PARAM } from '../activity/activity.service';
import { ContentsService } from '../content/contents.service';
import { DatabaseService } from '../database/database.service';
import { I18n } from '../i18n/i18n';
import type { FormState } from '../pages/page-kit';
import { PageLocale } from '../pages/page-kit';
import { PluginRegistry } from '../plugins/plugin-registry';
import { SpacesService } from '../spaces/spaces.service';
import { UsersService } from '../users/users.service';
import { withStatus, type PageResult } from '../views/page-result';
import { searchPermissions } from './search-permissions';
import { checkQuery, parseDateParam, SearchService, type SearchQuery } from './search.service';
import { hitParts, MAX_QUERY_LENGTH } from './search-text';

const PAGE_SIZE = 20;

/** The form's fields, in the order its error summary lists them. */
const FIELDS = ['q', 'plugin', 'spaceId', 'author', 'from', 'to'] as const;
type Field = (typeof FIELDS)[number];

/**
 * `/search`: a form (words, plugin, space, author, dates) that works without JavaScript, and the
 * results with the words found marked. A problem with the form (a query over 200 characters, a
 * date that is not one, a username no one has) shows the form again with the reason, as a 422.
 */
@Controller('search')
export class SearchPage {
  constructor(
    @Inject(SearchService) private readonly search: SearchService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(ContentsService) private readonly contents: ContentsService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(searchPermissions.use)
  @Render('core/search/results')
  async results(@CurrentUser() user: SignedInUser | null, @PageLocale() locale: string, @Query() params: Record<string, unknown> = {}): Promise<PageResult> {
    const values: Record<Field, string> = Object.fromEntries(FIELDS.map((f) => [f, typeof params[f] === 'string' ? (params[f] as string) : ''])) as Record<Field, string>;
    const errors: Partial<Record<Field, string>> = {};
    const read = <T>(field: Field, parse: () => T, key: string, messageParams: Record<string, unknown> = {}): T | null => {
      try {
        return parse();
      } catch (error) {
        if (!(error instanceof InvalidInput)) throw error;
        errors[field] = this.i18n.t(locale, key, messageParams);
        return null;
      }
    };
    const q = values.q.trim();
    const query: SearchQuery = {
      q,
      plugin: read('plugin', () => optionalParam('plugin', params.plugin, 64, PLUGIN_PARAM), 'core.search.error.plugin'),
      spaceId: read('spaceId', () => optionalParam('spaceId', params.spaceId), 'core.search.error.space'),
      from: read('from', () => parseDateParam('from', params.from), 'core.search.error.date'),
      to: read('to', () => parseDateParam('to', params.to), 'core.search.error.date'),
    };
    if (q) read('q', () => checkQuery(q), 'core.search.error.long', { max: MAX_QUERY_LENGTH });
    if (values.author.trim()) {
      const author = await this.users.findByHandle(values.author.trim().replace(/^@/, ''));
      if (author) query.authorId = author.id;
      else errors.author = this.i18n.t(locale, 'core.search.error.author', { handle: values.author.trim() });
    }
    const cursor = typeof params.cursor === 'string' && params.cursor ? params.cursor : undefined;

    const form: FormState = { values, errors: {}, summary: [] };
    for (const field of FIELDS) {
      const message = errors[field];
      if (!message) continue;
      form.errors[field] = [message];
      form.summary.push({ field, label: this.i18n.t(locale, `core.search.field.${field}`), message });
    }
    const data: PageData = {
      title: this.i18n.t(locale, 'core.search.title'),
      form,
      q,
      maxLength: MAX_QUERY_LENGTH,
      spaces: await spaceChoices(this.spaces, user, values.spaceId || null),
      plugins: pluginChoices(this.registry, this.i18n, locale, values.plugin || null),
      searched: false,
    };
    if (form.summary.length) return withStatus(data, 422);
    if (!q) return data;

    const page = await this.search.search(user, query, PAGE_SIZE, cursor);
    const entries = await streamEntries(this.db, this.contents, page.items.map((hit) => hit.item));
    const link = (extra: Record<string, string>) => {
      const kept = Object.entries(values).filter(([, v]) => v !== '');
      return `/search?${new URLSearchParams([...kept, ...Object.entries(extra)]).toString()}`;
    };
    return {
      ...data,
      searched: true,
      results: entries.map((entry, i) => ({ ...entry, titleParts: hitParts(page.items[i].title), excerptParts: hitParts(page.items[i].excerpt) })),
      more: page.nextCursor ? link({ cursor: page.nextCursor }) : null,
      first: cursor ? link({}) : null,
    };
  }
}
