import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CurrentUser, RequirePermission, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { DatabaseService } from '../database/database.service';
import { corePermissions } from '../permissions/core-permissions';
import { PluginRegistry, type InstalledPlugin } from './plugin-registry';
import { optionalDependencies, requiredDependencies } from './validation';

export function describePlugin(p: InstalledPlugin) {
  const d = p.definition;
  return {
    id: d.id,
    version: d.version,
    sdk: d.sdk,
    displayName: d.displayName,
    description: d.description ?? null,
    source: p.source,
    state: p.state,
    reason: p.reason,
    dependsOn: { required: requiredDependencies(d), optional: optionalDependencies(d) },
    permissions: (d.permissions ?? []).map((x) => x.name),
    events: (d.events ?? []).map((x) => x.name),
    jobs: (d.jobs ?? []).map((x) => x.name),
    contentTypes: (d.contentTypes ?? []).map((x) => x.name),
    navigation: d.navigation ?? [],
  };
}

@Controller('api/v1/plugins')
@RequirePermission(corePermissions.managePlugins)
export class PluginsController {
  constructor(
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  list() {
    return { items: this.registry.all().map(describePlugin), nextCursor: null };
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string, @CurrentUser() user: SignedInUser) {
    return this.setEnabled(id, true, user);
  }

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string, @CurrentUser() user: SignedInUser) {
    return this.setEnabled(id, false, user);
  }

  private async setEnabled(id: string, enabled: boolean, user: SignedInUser) {
    if (!this.registry.get(id)) throw new NotFoundException(`No plugin with the id '${id}' is installed`);
    const plugin = await this.registry.setEnabled(this.db, id, enabled, user.id);
    await this.audit.record('core', { action: enabled ? 'core.plugin.enabled' : 'core.plugin.disabled', subject: `plugin:${id}`, actorId: user.id });
    return describePlugin(plugin);
  }
}
