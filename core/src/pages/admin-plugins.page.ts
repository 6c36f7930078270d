import { Body, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { CurrentUser, Render, RequirePermission, type PageData, type PageRedirect, type SignedInUser } from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { DatabaseService } from '../database/database.service';
import { I18n } from '../i18n/i18n';
import { corePermissions } from '../permissions/core-permissions';
import { PluginRegistry } from '../plugins/plugin-registry';
import { describePlugin } from '../plugins/plugins.controller';
import type { SpacePolicy } from '../spaces/space-plugins.entities';
import { SpacePluginsService } from '../spaces/space-plugins.service';
import { flashRedirect, PageLocale, signedIn, type FormBody } from './page-kit';

/** The select on `/admin/plugins`: a policy, and for `space-choice` whether spaces that did not choose have it on. */
const POLICY_CHOICES = ['space-choice:on', 'space-choice:off', 'forced-on', 'forced-off'] as const;

function policyChoice(policy: SpacePolicy, defaultEnabled: boolean): string {
  return policy === 'space-choice' ? `space-choice:${defaultEnabled ? 'on' : 'off'}` : policy;
}

/** `/admin/plugins`: each plugin's state, why a failed one failed, and the switch. */
@Controller('admin/plugins')
export class AdminPluginsPage {
  constructor(
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
    @Inject(SpacePluginsService) private readonly spacePlugins: SpacePluginsService,
  ) {}

  @Get()
  @RequirePermission(corePermissions.managePlugins)
  @Render('core/admin/plugins')
  async list(@PageLocale() locale: string): Promise<PageData> {
    const policies = await this.spacePlugins.policies();
    return {
      title: this.i18n.t(locale, 'core.admin.plugins.title'),
      plugins: this.registry.all().map((p) => {
        const d = describePlugin(p);
        const policy = policies.get(d.id);
        const current = policy ? policyChoice(policy.policy, policy.defaultEnabled) : 'space-choice:on';
        const spacePolicies = POLICY_CHOICES.map((value) => ({ value, label: this.i18n.t(locale, `core.admin.plugins.policy.${value.replace(':', '.')}`), selected: value === current }));
        return { ...d, stateLabel: this.i18n.t(locale, `core.admin.plugins.state.${d.state}`), enabled: d.state === 'enabled', failed: d.state === 'failed', spacePolicies };
      }),
    };
  }

  /** The site's policy for the plugin in spaces; the same change and audit entry as `PUT /api/v1/plugins/:id/space-policy`. */
  @Post(':id/space-policy')
  @RequirePermission(corePermissions.managePlugins)
  async spacePolicy(@Param('id') id: string, @Body() body: FormBody, @CurrentUser() current: SignedInUser | null): Promise<PageRedirect> {
    const user = signedIn(current);
    const plugin = this.registry.get(id);
    if (!plugin) throw new NotFoundException(`No plugin with the id '${id}' is installed`);
    const choice = String((body as Record<string, unknown> | null)?.policy ?? '');
    if (!(POLICY_CHOICES as readonly string[]).includes(choice)) return flashRedirect('/admin/plugins', 'error', 'core.admin.plugins.spacePolicyInvalid', { name: plugin.definition.displayName });
    const [policy, onOff] = choice.split(':') as [SpacePolicy, string | undefined];
    const saved = await this.spacePlugins.setPolicy(id, policy, onOff === undefined ? undefined : onOff === 'on', user.id);
    await this.audit.record('core', { action: 'core.plugin.space-policy-set', subject: `plugin:${id}`, actorId: user.id, details: { ...saved } });
    return flashRedirect('/admin/plugins', 'success', 'core.admin.plugins.spacePolicySaved', { name: plugin.definition.displayName });
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
