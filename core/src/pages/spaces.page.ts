import { Body, ConflictException, Controller, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import {
  CurrentUser,
  Public,
  Render,
  RequirePermission,
  type PageData,
  type PageRedirect,
  type SignedInUser,
} from '@plein/sdk';
import { AuditService } from '../audit/audit.service';
import { I18n } from '../i18n/i18n';
import { NotificationsService } from '../notifications/notifications.service';
import { corePermissions } from '../permissions/core-permissions';
import { PermissionsService } from '../permissions/permissions.service';
import { PluginRegistry } from '../plugins/plugin-registry';
import { SpacePluginsService } from '../spaces/space-plugins.service';
import type { SpaceRow } from '../spaces/space.entities';
import { SpacesService } from '../spaces/spaces.service';
import { UsersService } from '../users/users.service';
import type { PageResult } from '../views/page-result';
import { AddMemberForm, MemberRoleForm, NewSpaceForm } from './dto/spaces.dto';
import {
  attempt,
  emptyForm,
  flashRedirect,
  formWithErrors,
  invalid,
  PageLocale,
  readForm,
  signedIn,
  type FormBody,
  type FormState,
} from './page-kit';

const SPACE_ROLES = ['member', 'moderator', 'admin'] as const;

/** `/spaces`, `/spaces/new` and `/spaces/:slug` with its members. A private space is 404 to outsiders. */
@Controller('spaces')
export class SpacesPage {
  constructor(
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(PermissionsService) private readonly permissions: PermissionsService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(I18n) private readonly i18n: I18n,
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
    @Inject(SpacePluginsService) private readonly spacePlugins: SpacePluginsService,
  ) {}

  @Get()
  @Public()
  @Render('core/spaces/list')
  async list(@CurrentUser() user: SignedInUser | null, @PageLocale() locale: string): Promise<PageData> {
    const canJoin = await this.permissions.can(user, corePermissions.joinSpace);
    const rows = await this.spaces.listVisible(user);
    return {
      title: this.i18n.t(locale, 'core.spaces.title'),
      canCreate: await this.permissions.can(user, corePermissions.createSpace),
      spaces: rows.map((s) => ({
        slug: s.slug,
        name: s.name,
        description: s.description,
        visibility: s.visibility,
        joinPolicy: s.joinPolicy,
        member: s.myStatus === 'active',
        requested: s.myStatus === 'requested',
        myRole: s.myStatus === 'active' ? s.myRole : null,
        canJoin: canJoin && !s.myStatus && s.joinPolicy !== 'invite',
      })),
    };
  }

  @Get('new')
  @RequirePermission(corePermissions.createSpace)
  @Render('core/spaces/new')
  newForm(@PageLocale() locale: string): PageData {
    return { ...this.newPage(locale), form: emptyForm({ visibility: 'public', joinPolicy: 'open' }) };
  }

  @Post('new')
  @RequirePermission(corePermissions.createSpace)
  @Render('core/spaces/new')
  async create(
    @Body() body: FormBody,
    @CurrentUser() current: SignedInUser | null,
    @PageLocale() locale: string,
  ): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const page = this.newPage(locale);
    const read = await readForm(NewSpaceForm, body, this.i18n, locale);
    if (!read.ok) return invalid(page, read.form);
    return attempt(
      async () => {
        const space = await this.spaces.create(read.value, user.id);
        await this.audit.record('core', {
          action: 'core.space.created',
          subject: `space:${space.id}`,
          actorId: user.id,
          details: { slug: space.slug, visibility: space.visibility },
        });
        return flashRedirect(`/spaces/${space.slug}`, 'success', 'core.spaces.created', { name: space.name });
      },
      this.i18n,
      locale,
      body,
      (form, status) => invalid(page, form, status),
    );
  }

  @Get(':slug')
  @Public()
  @Render('core/spaces/detail')
  async detail(
    @Param('slug') slug: string,
    @CurrentUser() user: SignedInUser | null,
    @PageLocale() locale: string,
  ): Promise<PageData> {
    return this.detailPage(await this.visible(user, slug), user, locale);
  }

  @Post(':slug/join')
  @RequirePermission(corePermissions.joinSpace)
  async join(@Param('slug') slug: string, @CurrentUser() current: SignedInUser | null): Promise<PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    try {
      const row = await this.spaces.join(space, user.id);
      return flashRedirect(
        `/spaces/${space.slug}`,
        'success',
        row.status === 'active' ? 'core.spaces.joined' : 'core.spaces.requested',
        { name: space.name },
      );
    } catch (error) {
      if (error instanceof ConflictException)
        return flashRedirect(`/spaces/${space.slug}`, 'error', 'core.validation.inviteOnly');
      throw error;
    }
  }

  @Post(':slug/leave')
  @RequirePermission(corePermissions.joinSpace)
  async leave(@Param('slug') slug: string, @CurrentUser() current: SignedInUser | null): Promise<PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    try {
      await this.spaces.removeMember(space.id, user.id);
    } catch (error) {
      if (error instanceof ConflictException)
        return flashRedirect(`/spaces/${space.slug}`, 'error', 'core.validation.lastAdmin');
      throw error;
    }
    return flashRedirect(
      space.visibility === 'public' ? `/spaces/${space.slug}` : '/spaces',
      'success',
      'core.spaces.left',
      { name: space.name },
    );
  }

  /** Adds someone by handle (the way into an invite-only space), with a role. */
  @Post(':slug/members')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.slug' })
  @Render('core/spaces/detail')
  async addMember(
    @Param('slug') slug: string,
    @Body() body: FormBody,
    @CurrentUser() current: SignedInUser | null,
    @PageLocale() locale: string,
  ): Promise<PageResult | PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    const again = async (form: FormState, status = 422) =>
      invalid(await this.detailPage(space, user, locale, form), form, status);
    const read = await readForm(AddMemberForm, body, this.i18n, locale);
    if (!read.ok) return again(read.form);
    const member = await this.users.findByHandle(read.value.handle.trim().replace(/^@/, ''));
    if (!member)
      return again(
        formWithErrors(this.i18n, locale, body, [{ field: 'handle', key: 'core.validation.unknownUser', params: {} }]),
      );
    await this.setMember(space, member, read.value.role, user);
    return flashRedirect(`/spaces/${space.slug}`, 'success', 'core.spaces.memberAdded', {
      name: member.displayName,
      role: this.i18n.t(locale, `core.spaces.role.${read.value.role}`),
    });
  }

  /** Changes a member's role, or lets in someone who asked to join. */
  @Post(':slug/members/:userId')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.slug' })
  async changeRole(
    @Param('slug') slug: string,
    @Param('userId') userId: string,
    @Body() body: FormBody,
    @CurrentUser() current: SignedInUser | null,
    @PageLocale() locale: string,
  ): Promise<PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    const read = await readForm(MemberRoleForm, body, this.i18n, locale);
    if (!read.ok)
      return flashRedirect(`/spaces/${space.slug}`, 'error', read.form.summary[0]?.message ?? 'core.validation.isIn');
    const membership = await this.spaces.membership(userId, space.id);
    const member = membership ? await this.users.findById(userId) : null;
    if (!membership || !member) throw new NotFoundException('That person is not a member of this space');
    if (membership.status === 'active' && membership.role === 'admin' && read.value.role !== 'admin') {
      const admins = (await this.spaces.memberList(space.id)).filter(
        (m) => m.role === 'admin' && m.status === 'active',
      );
      if (admins.length === 1) return flashRedirect(`/spaces/${space.slug}`, 'error', 'core.validation.lastAdmin');
    }
    await this.setMember(space, member, read.value.role, user);
    return flashRedirect(`/spaces/${space.slug}`, 'success', 'core.spaces.roleChanged', {
      name: member.displayName,
      role: this.i18n.t(locale, `core.spaces.role.${read.value.role}`),
    });
  }

  @Post(':slug/members/:userId/remove')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.slug' })
  async removeMember(
    @Param('slug') slug: string,
    @Param('userId') userId: string,
    @CurrentUser() current: SignedInUser | null,
  ): Promise<PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    const member = await this.users.findById(userId);
    try {
      await this.spaces.removeMember(space.id, userId);
    } catch (error) {
      if (error instanceof ConflictException)
        return flashRedirect(`/spaces/${space.slug}`, 'error', 'core.validation.lastAdmin');
      throw error;
    }
    await this.audit.record('core', {
      action: 'core.space.member-removed',
      subject: `space:${space.id}`,
      actorId: user.id,
      details: { userId },
    });
    return flashRedirect(`/spaces/${space.slug}`, 'success', 'core.spaces.memberRemoved', {
      name: member?.displayName ?? '',
    });
  }

  /**
   * Turns one plugin on or off for the space: a form per plugin whose checkbox `enabled` is sent
   * only when ticked. The same change and audit entry as `PUT /api/v1/spaces/:space/plugins/:id`.
   */
  @Post(':slug/plugins/:id')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.slug' })
  async setPlugin(
    @Param('slug') slug: string,
    @Param('id') id: string,
    @Body() body: FormBody,
    @CurrentUser() current: SignedInUser | null,
  ): Promise<PageRedirect> {
    const user = signedIn(current);
    const space = await this.visible(user, slug);
    const enabled = ['on', 'true', '1'].includes(String((body as Record<string, unknown> | null)?.enabled ?? ''));
    const plugin = await this.spacePlugins.one(space.id, id);
    try {
      await this.spacePlugins.choose(space.id, id, enabled, user.id);
    } catch (error) {
      if (error instanceof ConflictException)
        return flashRedirect(
          `/spaces/${space.slug}`,
          'error',
          plugin.siteEnabled ? 'core.spaces.plugins.decidedBySite' : 'core.spaces.plugins.offForSite',
          { name: plugin.displayName },
        );
      throw error;
    }
    await this.audit.record('core', {
      action: enabled ? 'core.space.plugin-enabled' : 'core.space.plugin-disabled',
      subject: `space:${space.id}`,
      actorId: user.id,
      details: { pluginId: id },
    });
    return flashRedirect(
      `/spaces/${space.slug}`,
      'success',
      enabled ? 'core.spaces.plugins.turnedOn' : 'core.spaces.plugins.turnedOff',
      { name: plugin.displayName },
    );
  }

  /** The same change, audit entry and notification as `POST /api/v1/spaces/:id/members`. */
  private async setMember(
    space: SpaceRow,
    member: { id: string },
    role: (typeof SPACE_ROLES)[number],
    actor: SignedInUser,
  ): Promise<void> {
    await this.spaces.setMember(space.id, member.id, role);
    await this.audit.record('core', {
      action: 'core.space.member-set',
      subject: `space:${space.id}`,
      actorId: actor.id,
      details: { userId: member.id, role },
    });
    if (member.id !== actor.id) {
      await this.notifications.notify('core', [member.id], {
        kind: 'core.space.added',
        title: `${actor.displayName} added you to ${space.name}`,
        titleKey: 'core.notification.spaceAdded',
        params: { actor: actor.displayName, space: space.name },
        url: `/spaces/${space.slug}`,
      });
    }
  }

  private newPage(locale: string): PageData {
    const choice = (group: string) => (value: string) => ({
      value,
      label: this.i18n.t(locale, `core.spaces.${group}.${value}`),
      hint: this.i18n.t(locale, `core.spaces.${group}.${value}Hint`),
    });
    return {
      title: this.i18n.t(locale, 'core.spaces.newTitle'),
      visibilityChoices: ['public', 'private'].map(choice('visibility')),
      policyChoices: ['open', 'request', 'invite'].map(choice('policy')),
    };
  }

  private async visible(user: SignedInUser | null, slug: string): Promise<SpaceRow> {
    const space = await this.spaces.visibleRow(user, slug);
    if (!space) throw new NotFoundException('No such space, or it is private');
    return space;
  }

  private async detailPage(
    space: SpaceRow,
    user: SignedInUser | null,
    locale: string,
    memberForm?: FormState,
  ): Promise<PageData> {
    const rows = await this.spaces.memberList(space.id);
    const people = await this.users.findByIds(rows.map((r) => r.userId));
    const mine = user ? rows.find((r) => r.userId === user.id) : undefined;
    const canManage = await this.permissions.can(user, corePermissions.manageSpace, { spaceId: space.id });
    const canJoin = Boolean(user) && (await this.permissions.can(user, corePermissions.joinSpace));
    const describe = (r: (typeof rows)[number]) => ({
      userId: r.userId,
      handle: people.get(r.userId)?.handle ?? '',
      displayName: people.get(r.userId)?.displayName ?? '',
      role: r.role,
      roleLabel: this.i18n.t(locale, `core.spaces.role.${r.role}`),
      since: r.createdAt,
      me: r.userId === user?.id,
      roles: SPACE_ROLES.map((value) => ({
        value,
        label: this.i18n.t(locale, `core.spaces.role.${value}`),
        selected: value === r.role,
      })),
    });
    const members = rows.filter((r) => r.status === 'active').map(describe);
    const plugins = await this.spacePlugins.list(space.id);
    // The space's own navigation: each plugin it uses, as the site navigation names it, to those who may use it.
    const tools: Array<{ label: string; path: string }> = [];
    for (const item of this.registry.navigation()) {
      if (!plugins.some((p) => p.id === item.pluginId && p.enabled)) continue;
      if (item.permission && !(await this.permissions.can(user, item.permission, { spaceId: space.id }))) continue;
      // A plugin's own page for this space when it has one, else its site-wide page.
      const path = item.spacePath ? item.spacePath.replaceAll(':space', encodeURIComponent(space.slug)) : item.path;
      tools.push({ label: this.i18n.t(locale, item.label), path });
    }
    return {
      title: space.name,
      space: {
        slug: space.slug,
        name: space.name,
        description: space.description,
        visibility: space.visibility,
        joinPolicy: space.joinPolicy,
        createdAt: space.createdAt,
      },
      members,
      memberCount: members.length,
      requests: canManage ? rows.filter((r) => r.status === 'requested').map(describe) : [],
      member: mine?.status === 'active',
      requested: mine?.status === 'requested',
      myRole: mine?.status === 'active' ? mine.role : null,
      canManage,
      canJoin: canJoin && !mine && space.joinPolicy !== 'invite',
      roleChoices: SPACE_ROLES.map((value) => ({ value, label: this.i18n.t(locale, `core.spaces.role.${value}`) })),
      memberForm: memberForm ?? emptyForm({ role: 'member' }),
      tools,
      plugins: canManage
        ? plugins.map((p) => ({
            id: p.id,
            displayName: p.displayName,
            enabled: p.enabled,
            locked: !p.spaceMayChange || !p.siteEnabled,
            note: !p.siteEnabled
              ? this.i18n.t(locale, 'core.spaces.plugins.noteOffForSite')
              : p.spaceMayChange
                ? null
                : this.i18n.t(locale, `core.spaces.plugins.note.${p.policy}`),
          }))
        : [],
    };
  }
}
