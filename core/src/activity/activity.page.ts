import { Controller, Get, Inject, Query } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type SignedInUser } from '@plein/sdk';
import { ContentsService } from '../content/contents.service';
import { DatabaseService } from '../database/database.service';
import { I18n } from '../i18n/i18n';
import { PageLocale } from '../pages/page-kit';
import { PluginRegistry } from '../plugins/plugin-registry';
import { SpacesService } from '../spaces/spaces.service';
import { activityPermissions } from './activity-permissions';
import { streamEntries } from './activity-view';
import { ActivityService, optionalParam, PLUGIN_PARAM } from './activity.service';

const PAGE_SIZE = 20;

/** A filter's choices for a `<select>`: the plugins that have content, by name. */
export function pluginChoices(registry: PluginRegistry, i18n: I18n, locale: string, selected: string | null) {
  return registry
    .all()
    .filter((p) => p.state === 'enabled' && (p.definition.contentTypes?.length ?? 0) > 0)
    .map((p) => ({ value: p.definition.id, label: i18n.t(locale, p.definition.displayName ?? p.definition.id), selected: p.definition.id === selected }))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
}

/** A filter's choices for a `<select>`: the spaces the person may see. */
export async function spaceChoices(spaces: SpacesService, user: SignedInUser | null, selected: string | null) {
  return (await spaces.listVisible(user)).map((s) => ({ value: s.id, label: s.name, selected: s.id === selected }));
}

/** `/activity`: the whole stream, filtered by space and plugin with a form that works without JavaScript. */
@Controller('activity')
export class ActivityPage {
  constructor(
    @Inject(ActivityService) private readonly activity: ActivityService,
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(ContentsService) private readonly contents: ContentsService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(activityPermissions.read)
  @Render('core/activity/list')
  async list(
    @CurrentUser() user: SignedInUser | null,
    @PageLocale() locale: string,
    @Query('spaceId') spaceParam?: string,
    @Query('plugin') pluginParam?: string,
    @Query('cursor') cursorParam?: string,
  ): Promise<PageData> {
    const spaceId = optionalParam('spaceId', spaceParam);
    const plugin = optionalParam('plugin', pluginParam, 64, PLUGIN_PARAM);
    const cursor = optionalParam('cursor', cursorParam, 1000);
    const page = await this.activity.stream(user, { spaceId, plugin }, PAGE_SIZE, cursor ?? undefined);
    const filters = new URLSearchParams();
    if (spaceId) filters.set('spaceId', spaceId);
    if (plugin) filters.set('plugin', plugin);
    const link = (extra: Record<string, string>) => {
      const params = new URLSearchParams({ ...Object.fromEntries(filters), ...extra }).toString();
      return params ? `/activity?${params}` : '/activity';
    };
    return {
      title: this.i18n.t(locale, 'core.activity.title'),
      filtered: Boolean(spaceId || plugin),
      spaces: await spaceChoices(this.spaces, user, spaceId),
      plugins: pluginChoices(this.registry, this.i18n, locale, plugin),
      items: await streamEntries(this.db, this.contents, page.items),
      older: page.nextCursor ? link({ cursor: page.nextCursor }) : null,
      newest: cursor ? link({}) : null,
    };
  }
}
