import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { CurrentUser, Public, RequirePermission, type SignedInUser } from '@plein/sdk';
import { NotificationsService } from '../notifications/notifications.service';
import { AuditService } from '../audit/audit.service';
import { corePermissions } from '../permissions/core-permissions';
import { UsersService } from '../users/users.service';
import { AddMemberDto, CreateSpaceDto, UpdateSpaceDto } from './dto/space.dto';
import type { MembershipRow, SpaceRow } from './space.entities';
import { SpacesService } from './spaces.service';

function describeSpace(s: SpaceRow, mine?: { myRole: string | null; myStatus: string | null }) {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    description: s.description,
    visibility: s.visibility,
    joinPolicy: s.joinPolicy,
    createdAt: s.createdAt.toISOString(),
    ...(mine ? { myRole: mine.myStatus === 'active' ? mine.myRole : null, myStatus: mine.myStatus } : {}),
  };
}

@Controller('api/v1/spaces')
export class SpacesController {
  constructor(
    @Inject(SpacesService) private readonly spaces: SpacesService,
    @Inject(UsersService) private readonly users: UsersService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
  ) {}

  /** Spaces I may see: public ones and mine. */
  @Get()
  @Public()
  async list(@CurrentUser() user: SignedInUser | null) {
    return { items: (await this.spaces.listVisible(user)).map((s) => describeSpace(s, s)), nextCursor: null };
  }

  @Post()
  @RequirePermission(corePermissions.createSpace)
  async create(@Body() body: CreateSpaceDto, @CurrentUser() user: SignedInUser) {
    const space = await this.spaces.create(body, user.id);
    await this.audit.record('core', { action: 'core.space.created', subject: `space:${space.id}`, actorId: user.id, details: { slug: space.slug, visibility: space.visibility } });
    return describeSpace(space, { myRole: 'admin', myStatus: 'active' });
  }

  @Get(':space')
  @Public()
  async one(@Param('space') ref: string, @CurrentUser() user: SignedInUser | null) {
    const space = await this.visible(user, ref);
    const membership = user ? await this.spaces.membership(user.id, space.id) : null;
    return describeSpace(space, { myRole: membership?.role ?? null, myStatus: membership?.status ?? null });
  }

  @Patch(':space')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.space' })
  async update(@Param('space') ref: string, @Body() body: UpdateSpaceDto, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    const updated = await this.spaces.update(space, body);
    await this.audit.record('core', { action: 'core.space.updated', subject: `space:${space.id}`, actorId: user.id, details: { ...body } });
    return describeSpace(updated);
  }

  @Get(':space/members')
  @Public()
  async members(@Param('space') ref: string, @CurrentUser() user: SignedInUser | null) {
    const space = await this.visible(user, ref);
    return { items: await this.describeMembers(await this.spaces.memberList(space.id)), nextCursor: null };
  }

  /** Adds someone (the way into an invite-only space) or changes their role. */
  @Post(':space/members')
  @RequirePermission(corePermissions.manageSpace, { space: 'params.space' })
  async addMember(@Param('space') ref: string, @Body() body: AddMemberDto, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    const member = await this.users.findById(body.userId);
    if (!member) throw new NotFoundException(`No user with the id '${body.userId}'`);
    const row = await this.spaces.setMember(space.id, member.id, body.role);
    await this.audit.record('core', { action: 'core.space.member-set', subject: `space:${space.id}`, actorId: user.id, details: { userId: member.id, role: body.role } });
    if (member.id !== user.id) {
      await this.notifications.notify('core', [member.id], {
        kind: 'core.space.added',
        title: `${user.displayName} added you to ${space.name}`,
        titleKey: 'core.notification.spaceAdded',
        params: { actor: user.displayName, space: space.name },
        url: `/spaces/${space.slug}`,
      });
    }
    return (await this.describeMembers([row]))[0];
  }

  @Delete(':space/members/:userId')
  @HttpCode(204)
  @RequirePermission(corePermissions.manageSpace, { space: 'params.space' })
  async removeMember(@Param('space') ref: string, @Param('userId') userId: string, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    await this.spaces.removeMember(space.id, userId);
    await this.audit.record('core', { action: 'core.space.member-removed', subject: `space:${space.id}`, actorId: user.id, details: { userId } });
  }

  /** Joins an open space, or asks to join a space whose policy is `request`. */
  @Post(':space/join')
  @HttpCode(200)
  @RequirePermission(corePermissions.joinSpace)
  async join(@Param('space') ref: string, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    const row = await this.spaces.join(space, user.id);
    return (await this.describeMembers([row]))[0];
  }

  @Post(':space/leave')
  @HttpCode(204)
  @RequirePermission(corePermissions.joinSpace)
  async leave(@Param('space') ref: string, @CurrentUser() user: SignedInUser) {
    const space = await this.visible(user, ref);
    await this.spaces.removeMember(space.id, user.id);
  }

  private async visible(user: SignedInUser | null, ref: string): Promise<SpaceRow> {
    const space = await this.spaces.visibleRow(user, ref);
    if (!space) throw new NotFoundException('No such space, or it is private');
    return space;
  }

  private async describeMembers(rows: MembershipRow[]) {
    const people = await this.users.findByIds(rows.map((r) => r.userId));
    return rows.map((r) => ({ user: people.get(r.userId) ?? null, role: r.role, status: r.status, since: r.createdAt.toISOString() }));
  }
}
