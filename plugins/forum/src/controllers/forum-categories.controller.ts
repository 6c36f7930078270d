import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { CurrentUser, InSpace, parseLimit, RequirePermission, type Page, type SignedInUser } from '@plein/sdk';
import { CreateCategoryDto, CreateTopicDto, GrantsDto, UpdateCategoryDto } from '../dto/forum.dto';
import { forumPermissions } from '../permissions';
import { ForumAccessService, signedIn } from '../services/forum-access.service';
import { ForumCategoriesService } from '../services/forum-categories.service';
import type { CategoryGrants } from '../services/forum-grants';
import { readTopicCursor } from '../services/forum-listing.service';
import { invalid } from '../services/forum-names';
import { ForumReadingService } from '../services/forum-reading.service';
import { ForumTopicsService, type TopicView } from '../services/forum-topics.service';
import type { CategorySummary, TopicSummary } from '../services/forum-view.service';
import { forumSpaceOf } from '../services/forum-spaces.service';

/** `?solved=true|false` */
function solvedFilter(value: string | undefined): boolean | null {
  if (value === undefined || value === '') return null;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid('solved', "must be 'true' or 'false'");
}

/**
 * Categories and their topic lists (API.md, "Forum"). Routes about one category name
 * `forum.topic.read` for the guard; the precise permission (manage, start topics) is checked in
 * the category's space once the category is loaded.
 */
@Controller('categories')
export class ForumCategoriesController {
  constructor(
    private readonly categories: ForumCategoriesService,
    private readonly topics: ForumTopicsService,
    private readonly access: ForumAccessService,
    private readonly reading: ForumReadingService,
  ) {}

  /** Every category the caller may read, top-level ones each followed by their children. */
  @Get()
  @RequirePermission(forumPermissions.read)
  async list(@CurrentUser() user: SignedInUser | null): Promise<Page<CategorySummary>> {
    const items = await this.categories.summaries(user, await this.categories.list(user));
    return { items, nextCursor: null };
  }

  @Post()
  @RequirePermission(forumPermissions.manage, { space: 'body.spaceId' })
  async create(@Body() body: CreateCategoryDto, @CurrentUser() user: SignedInUser | null): Promise<CategorySummary> {
    const viewer = signedIn(user);
    const category = await this.categories.create(viewer, body);
    const [summary] = await this.categories.summaries(viewer, [await this.access.category(viewer, category.id)]);
    return summary;
  }

  @Get(':id')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async one(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<CategorySummary & { abilities: Record<string, boolean> }> {
    const at = await this.access.category(user, id);
    const [summary] = await this.categories.summaries(user, [at]);
    return {
      ...summary,
      abilities: {
        create: await this.access.can(user, 'create', at),
        reply: await this.access.can(user, 'reply', at),
        moderate: await this.access.canIn(user, forumPermissions.moderate, at),
        manage: await this.categories.mayManage(user, at.category.spaceId),
      },
    };
  }

  @Patch(':id')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async update(
    @Param('id') id: string,
    @Body() body: UpdateCategoryDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<CategorySummary> {
    const viewer = signedIn(user);
    const category = await this.categories.update(viewer, id, body);
    const [summary] = await this.categories.summaries(viewer, [await this.access.category(viewer, category.id)]);
    return summary;
  }

  /** Only an empty category (no topics, no subcategories) can go: 409 otherwise. */
  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async remove(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    await this.categories.remove(signedIn(user), id);
  }

  @Get(':id/grants')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async grants(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<CategoryGrants> {
    return this.categories.grants(signedIn(user), id);
  }

  @Put(':id/grants')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async setGrants(
    @Param('id') id: string,
    @Body() body: GrantsDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<CategoryGrants> {
    return this.categories.setGrants(signedIn(user), id, { ...body });
  }

  /** Topics, pinned first, then by last activity; `?solved=true|false`, `?tag=`. */
  @Get(':id/topics')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async topicList(
    @Param('id') id: string,
    @CurrentUser() user: SignedInUser | null,
    @Query('limit') limit?: string,
    @Query('cursor') cursor?: string,
    @Query('solved') solved?: string,
    @Query('tag') tag?: string,
  ): Promise<Page<TopicSummary>> {
    const take = parseLimit(limit);
    const tagFilter = typeof tag === 'string' && tag ? tag.toLowerCase().slice(0, 64) : null;
    return this.topics.list(user, id, take, readTopicCursor(cursor), { solved: solvedFilter(solved), tag: tagFilter });
  }

  @Post(':id/topics')
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async start(
    @Param('id') id: string,
    @Body() body: CreateTopicDto,
    @CurrentUser() user: SignedInUser | null,
  ): Promise<TopicView> {
    const viewer = signedIn(user);
    const { topic } = await this.topics.create(viewer, id, body);
    const access = await this.access.topic(viewer, topic.id);
    return this.topics.view(viewer, access, { limit: 20, after: null, page: null });
  }

  /** "Mark all read": nothing in the category counts as unread until new activity. */
  @Post(':id/read')
  @HttpCode(204)
  @RequirePermission(forumPermissions.read)
  @InSpace(forumSpaceOf.category)
  async markRead(@Param('id') id: string, @CurrentUser() user: SignedInUser | null): Promise<void> {
    const viewer = signedIn(user);
    const { category } = await this.access.category(viewer, id);
    await this.reading.markCategoryRead(viewer.id, category.id);
  }
}
