import { Controller, Get, Inject, Query } from '@nestjs/common';
import { InvalidInput, parseLimit, RequirePermission, type JobInfo } from '@plein/sdk';
import { corePermissions } from '../permissions/core-permissions';
import { PluginRegistry } from '../plugins/plugin-registry';
import { JobsService } from './jobs.service';

const STATES: ReadonlyArray<JobInfo['state']> = ['waiting', 'delayed', 'active', 'completed', 'failed'];

/** Operators' view of the queues: what waits, runs and failed, per plugin, newest first. */
@Controller('api/v1/jobs')
@RequirePermission(corePermissions.managePlugins)
export class JobsController {
  constructor(
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
  ) {}

  @Get()
  async list(@Query('state') state?: string, @Query('plugin') plugin?: string, @Query('limit') limitParam?: string) {
    if (state !== undefined && !STATES.includes(state as JobInfo['state'])) {
      throw new InvalidInput([{ field: 'state', message: `must be one of ${STATES.join(', ')}` }]);
    }
    const limit = parseLimit(limitParam, 50);
    const owners = plugin ? [plugin] : ['core', ...this.registry.all().map((p) => p.definition.id)];
    const lists = await Promise.all(
      owners.map(async (owner) =>
        (await this.jobs.forPlugin(owner).list({ state: state as JobInfo['state'] | undefined, limit })).map((j) => ({
          ...j,
          // Core's jobs carry mail (password-reset links among them): operators see that they ran, not what they said.
          data: owner === 'core' ? null : j.data,
          plugin: owner,
        })),
      ),
    );
    const items = lists
      .flat()
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, limit);
    return { items, nextCursor: null };
  }
}
