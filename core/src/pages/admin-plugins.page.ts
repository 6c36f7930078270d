import { Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { DatabaseService } from '../database/database.service';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { PluginRegistry } from '../plugins/plugin-registry';
import { describePlugin } from '../plugins/plugins.controller';
import { flashRedirect, PageLocale, signedIn } from './page-kit';

/** `/admin/plugins`: each plugin's state, why a failed one failed, and the switch. */
@Controller('admin/plugins')
export class AdminPluginsPage {
  constructor(
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
  ) {}

  @Get()
  @RequirePermission(corePermissions.managePlugins)
  @Render('core/admin/plugins')
  list(@PageLocale() locale: string): PageData {
    return {
      title: this.i18n.t(locale, 'core.admin.plugins.title'),
      plugins: this.registry.all().map((p) => {
        const d = describePlugin(p);
        return { ...d, stateLabel: this.i18n.t(locale, `core.admin.plugins.state.${d.state}`), enabled: d.state === 'enabled', failed: d.state === 'failed' };
      }),
    };
  }

  @Post(':id/enable')
  @RequirePermission(corePermissions.managePlugins)
  enable(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    return this.setEnabled(id, true, signedIn(user));
  }

  @Post(':id/disable')
  @RequirePermission(corePermissions.managePlugins)
  disable(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<PageRedirect> {
    return this.setEnabled(id, false, signedIn(user));
  }

  /** The same change and audit entry as `POST /api/v1/plugins/:id/enable|disable`. */
  private async setEnabled(id: string, enabled: boolean, user: SignedInUser): Promise<PageRedirect> {
    const plugin = this.registry.get(id);
    if (!plugin) throw new NotFoundException(`No plugin with the id '${id}' is installed`);
    if (plugin.state === 'failed') return flashRedirect('/admin/plugins', 'error', 'core.admin.plugins.failedCannotChange', { name: plugin.definition.displayName });
    await this.registry.setEnabled(this.db, id, enabled, user.id);
    await this.audit.record('core', { action: enabled ? 'core.plugin.enabled' : 'core.plugin.disabled', subject: `plugin:${id}`, actorId: user.id });
    return flashRedirect('/admin/plugins', 'success', enabled ? 'core.admin.plugins.enabled' : 'core.admin.plugins.disabled', { name: plugin.definition.displayName });
  }
}
