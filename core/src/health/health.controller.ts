import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '@plein/sdk';
import { DatabaseService } from '../database/database.service';
import { JobsService } from '../jobs/jobs.service';
import { PluginRegistry } from '../plugins/plugin-registry';

@Controller('api/v1/health')
export class HealthController {
  constructor(
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(JobsService) private readonly jobs: JobsService,
    @Inject(PluginRegistry) private readonly registry: PluginRegistry,
  ) {}

  /** Liveness and what this instance runs on; the database is asked, so a dead one shows. */
  @Get()
  @Public()
  async health() {
    await this.db.select('SELECT 1', []);
    const backend = this.jobs.backend as { ping?: () => Promise<boolean> };
    if (backend.ping && !(await backend.ping())) throw new ServiceUnavailableException('Redis does not answer: jobs and durable events cannot be queued');
    return {
      status: 'ok',
      database: this.db.engine,
      queue: this.jobs.backend.kind,
      plugins: this.registry.all().map((p) => ({ id: p.definition.id, version: p.definition.version, state: p.state })),
    };
  }
}
