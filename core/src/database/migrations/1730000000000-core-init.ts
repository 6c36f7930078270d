import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const int = (name: string, dflt = 0): TableColumnOptions => ({ name, type: 'int', default: dflt });

/** The kernel's tables: plugin state, outbox, jobs, settings, audit, users and tokens. */
export class CoreInit1730000000000 implements MigrationInterface {
  name = 'CoreInit1730000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'core_plugin_state',
        columns: [
          { name: 'plugin_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'enabled', type: 'boolean', default: true },
          time('updated_at'),
          str('updated_by', 36, true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_outbox',
        columns: [
          id(),
          str('event_id', 36),
          str('event_name', 191),
          str('publisher', 64),
          str('plugin_id', 64),
          str('handler', 191),
          text('payload', false),
          time('occurred_at'),
          str('status', 16),
          int('attempts'),
          text('last_error'),
          time('delivered_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_core_outbox_status', columnNames: ['status', 'occurred_at'] }),
          new TableIndex({ name: 'uq_core_outbox_event_handler', columnNames: ['event_id', 'handler'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_job',
        columns: [
          id(),
          str('queue', 64),
          str('name', 191),
          text('data', false),
          str('status', 16),
          int('attempts'),
          int('max_attempts', 3),
          str('backoff_type', 16),
          int('backoff_delay', 1000),
          time('run_at'),
          time('locked_until', true),
          str('dedupe_key', 191, true),
          text('last_error'),
          time('created_at'),
          time('finished_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_core_job_due', columnNames: ['status', 'run_at'] }),
          new TableIndex({ name: 'idx_core_job_queue', columnNames: ['queue', 'created_at'] }),
          new TableIndex({ name: 'idx_core_job_dedupe', columnNames: ['dedupe_key'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_job_schedule',
        columns: [
          id(),
          str('queue', 64),
          str('name', 191),
          str('schedule_key', 191),
          text('data', false),
          { name: 'every_ms', type: 'bigint', isNullable: true },
          str('pattern', 64, true),
          time('next_run_at'),
        ],
        indices: [new TableIndex({ name: 'uq_core_job_schedule', columnNames: ['name', 'schedule_key'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_setting',
        columns: [{ name: 'plugin_id', type: 'varchar', length: '64', isPrimary: true }, text('value', false), time('updated_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_audit',
        columns: [
          id(),
          time('at'),
          str('actor_id', 36, true),
          str('plugin_id', 64),
          str('action', 191),
          str('subject', 191, true),
          text('details'),
        ],
        indices: [new TableIndex({ name: 'idx_core_audit_at', columnNames: ['at', 'id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_user',
        columns: [
          id(),
          str('email', 191),
          str('handle', 64),
          str('display_name', 191),
          str('password_hash', 255, true),
          str('roles', 255),
          str('status', 16),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_core_user_email', columnNames: ['email'], isUnique: true }),
          new TableIndex({ name: 'uq_core_user_handle', columnNames: ['handle'], isUnique: true }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_token',
        columns: [
          id(),
          str('user_id', 36),
          str('name', 191),
          str('token_hash', 64),
          str('scopes', 255, true),
          time('created_at'),
          time('last_used_at', true),
          time('revoked_at', true),
        ],
        indices: [
          new TableIndex({ name: 'uq_core_token_hash', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({ name: 'idx_core_token_user', columnNames: ['user_id'] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['core_token', 'core_user', 'core_audit', 'core_setting', 'core_job_schedule', 'core_job', 'core_outbox', 'core_plugin_state']) {
      await q.dropTable(table);
    }
  }
}
