import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '36', isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', precision: 3, isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });

/** Sessions, sign-in throttling, roles and grants, spaces, the content contract, notifications. */
export class Identity1731000000000 implements MigrationInterface {
  name = 'Identity1731000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('core_user', new TableColumn({ name: 'locale', type: 'varchar', length: '8', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'core_session',
        columns: [
          { name: 'id', type: 'varchar', length: '64', isPrimary: true },
          ref('user_id'),
          time('created_at'),
          time('last_seen_at'),
          time('expires_at'),
          str('ip', 64, true),
          str('user_agent', 255, true),
        ],
        indices: [new TableIndex({ name: 'idx_core_session_user', columnNames: ['user_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_throttle',
        columns: [{ name: 'throttle_key', type: 'varchar', length: '191', isPrimary: true }, { name: 'hits', type: 'int', default: 0 }, time('reset_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_password_reset',
        columns: [{ name: 'id', type: 'varchar', length: '64', isPrimary: true }, ref('user_id'), time('created_at'), time('expires_at'), time('used_at', true)],
        indices: [new TableIndex({ name: 'idx_core_password_reset_user', columnNames: ['user_id'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_role',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          str('description', 255, true),
          { name: 'builtin', type: 'boolean', default: false },
          time('created_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_grant',
        columns: [id(), str('role', 64), str('permission', 191), ref('space_id', true)],
        indices: [
          new TableIndex({ name: 'uq_core_grant', columnNames: ['role', 'permission', 'space_id'], isUnique: true }),
          new TableIndex({ name: 'idx_core_grant_space', columnNames: ['space_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({ name: 'core_permission_seed', columns: [{ name: 'permission', type: 'varchar', length: '191', isPrimary: true }, time('seeded_at')] }),
    );
    await q.createTable(
      new Table({
        name: 'core_space',
        columns: [
          id(),
          str('slug', 64),
          str('name', 191),
          { name: 'description', type: 'text', isNullable: true },
          str('visibility', 16),
          str('join_policy', 16),
          ref('created_by'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_core_space_slug', columnNames: ['slug'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_membership',
        columns: [{ ...ref('space_id'), isPrimary: true }, { ...ref('user_id'), isPrimary: true }, str('role', 16), str('status', 16), time('created_at')],
        indices: [new TableIndex({ name: 'idx_core_membership_user', columnNames: ['user_id', 'status'] })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_content',
        columns: [
          id(),
          str('type', 64),
          str('plugin_id', 64),
          ref('space_id', true),
          ref('author_id'),
          str('status', 16),
          str('title', 255, true),
          str('excerpt', 500, true),
          { name: 'search_text', type: 'text', isNullable: true },
          str('status_reason', 500, true),
          time('created_at'),
          time('updated_at'),
          time('edited_at', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_core_content_stream', columnNames: ['status', 'created_at', 'id'] }),
          new TableIndex({ name: 'idx_core_content_space', columnNames: ['space_id', 'status', 'created_at'] }),
          new TableIndex({ name: 'idx_core_content_author', columnNames: ['author_id', 'created_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'core_notification',
        columns: [id(), ref('user_id'), str('kind', 64), str('title', 255), str('url', 500), ref('content_id', true), time('created_at'), time('read_at', true)],
        indices: [new TableIndex({ name: 'idx_core_notification_user', columnNames: ['user_id', 'created_at', 'id'] })],
      }),
    );
    await q.createTable(
      new Table({ name: 'core_notification_pref', columns: [{ ...ref('user_id'), isPrimary: true }, { ...str('kind', 64), isPrimary: true }, str('channel', 16)] }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'core_notification_pref',
      'core_notification',
      'core_content',
      'core_membership',
      'core_space',
      'core_permission_seed',
      'core_grant',
      'core_role',
      'core_password_reset',
      'core_throttle',
      'core_session',
    ]) {
      await q.dropTable(table);
    }
    await q.dropColumn('core_user', 'locale');
  }
}
