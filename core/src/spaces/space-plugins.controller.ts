import { Body, Controller, ForbiddenException, Get, Inject, NotFoundException, Param, Put } from '@nestjs/common';
import { CurrentUser, RequirePermission, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { SpacePluginDto, SpacePolicyDto } from './dto/space.dto';
import type { SpaceRow } from './space.entities';
import { SpacePluginsService, type SpacePluginState } from './space-plugins.service';
import { SpacesService } from './spaces.service';

function describeState(s: SpacePluginState) {
  return { id: s.id, displayName: s.displayName, enabled: s.enabled, siteEnabled: s.siteEnabled, policy: s.policy, defaultEnabled: s.defaultEnabled, choice: s.choice, spaceMayChange: s.spaceMayChange };
}

/** Which plugins a space uses: its members read the list, its admins switch them (docs/spaces.md). */
@Controller('api/v1/spaces/:space/plugins')
export class SpacePluginsController {
  constructor(
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(SpacePluginsService) private readonly spacePlugins: SpacePluginsService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Get()
  @RequirePermission(corePermissions.joinSpace, { space: 'params.space' })
  async list(@Param('space') ref: string, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    const member = (await this.spaces.roleOf(user.id, space.id)) !== null;
    if (!member && !(await this.permissions.can(user, corePermissions.manageSpace, { spaceId: space.id }))) {
      throw new ForbiddenException('Only members of the space see which plugins it uses');
    }
    return { items: (await this.spacePlugins.list(space.id)).map(describeState), nextCursor: null };
  }

  @Put(':id')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.space' })
  async set(@Param('space') ref: string, @Param('id') id: string, @Body() body: SpacePluginDto, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    const state = await this.spacePlugins.choose(space.id, id, body.enabled, user.id);
    await this.audit.record('core', { action: body.enabled ? 'core.space.plugin-enabled' : 'core.space.plugin-disabled', subject: `space:${space.id}`, actorId: user.id, details: { pluginId: id } });
    return describeState(state);
  }

  private async visible(user: SignedInUser | null, ref: string): Promise<SpaceRow> {
    const space = await this.spaces.visibleRow(user, ref);
    if (!space) throw new NotFoundException('No such space, or it is private');
    return space;
  }
}

/** The site's policy for a plugin in spaces: left to each space, or forced on or off everywhere. */
@Controller('api/v1/plugins')
export class SpacePolicyController {
  constructor(
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(SpacePluginsService) private readonly spacePlugins: SpacePluginsService,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  @Put(':id/space-policy')
  @RequirePermission(corePermissions.managePlugins)
  async set(@Param('id') id: string, @Body() body: SpacePolicyDto, @CurrentUser() user: SignedInUser) {
    if (!this.registry.get(id)) throw new NotFoundException(`No plugin with the id '${id}' is installed`);
    const saved = await this.spacePlugins.setPolicy(id, body.policy, body.defaultEnabled, user.id);
    await this.audit.record('core', { action: 'core.plugin.space-policy-set', subject: `plugin:${id}`, actorId: user.id, details: { ...saved } });
    return { id, ...saved };
  }
}
