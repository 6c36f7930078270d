import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'datetime',
  precision: 3,
  isNullable: nullable,
});
const int = (name: string, fallback?: number): TableColumnOptions => ({
  name,
  type: 'int',
  ...(fallback === undefined ? {} : { default: fallback }),
});
const flag = (name: string, fallback: boolean): TableColumnOptions => ({ name, type: 'boolean', default: fallback });
const index = (table: string, suffix: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name: `${isUnique ? 'uq' : 'idx'}_${table}_${suffix}`, columnNames, isUnique });

/** The review queue, reports, notes, rules, sanctions, the log, per-space settings and version counters. */
export class ModerationInit1760000000000 implements MigrationInterface {
  name = 'ModerationInit1760000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'moderation_item',
        columns: [
          { ...ref('id'), isPrimary: true },
          str('lane', 16),
          str('status', 16),
          str('open_key', 80, true),
          ref('content_id', true),
          str('content_type', 64, true),
          ref('space_id', true),
          ref('author_id'),
          str('reason', 500, true),
          int('report_count', 0),
          flag('auto_hidden', false),
          str('route_role', 32, true),
          ref('rule_id', true),
          ref('claimed_by', true),
          time('claimed_at', true),
          ref('excluded_moderator_id', true),
          str('appeal_key', 48, true),
          ref('appeal_of_item_id', true),
          ref('sanction_id', true),
          str('appeal_text', 2000, true),
          str('decision', 16, true),
          str('decision_reason', 1000, true),
          ref('decided_by', true),
          time('decided_at', true),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          index('moderation_item', 'queue', ['status', 'lane', 'created_at', 'id']),
          index('moderation_item', 'space', ['status', 'space_id', 'lane', 'created_at', 'id']),
          index('moderation_item', 'content', ['content_id', 'lane']),
          index('moderation_item', 'author', ['author_id', 'decided_at']),
          index('moderation_item', 'open', ['open_key'], true),
          index('moderation_item', 'appeal', ['appeal_key'], true),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_report',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('item_id'),
          ref('content_id'),
          ref('reporter_id', true),
          str('reason', 16),
          str('note', 1000, true),
          ref('rule_id', true),
          time('created_at'),
        ],
        indices: [
          index('moderation_report', 'reporter', ['content_id', 'reporter_id'], true),
          index('moderation_report', 'item', ['item_id', 'created_at']),
          index('moderation_report', 'mine', ['reporter_id', 'created_at']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_note',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('item_id'),
          ref('author_id'),
          str('text', 2000),
          time('created_at'),
        ],
        indices: [index('moderation_note', 'item', ['item_id', 'created_at'])],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_rule',
        columns: [
          { ...ref('id'), isPrimary: true },
          str('pattern', 500),
          str('match', 8),
          str('action', 8),
          str('replacement', 100, true),
          str('message', 500, true),
          ref('space_id', true),
          str('route_role', 32, true),
          time('active_from', true),
          time('active_until', true),
          flag('enabled', true),
          str('note', 500, true),
          ref('created_by'),
          time('created_at'),
          time('updated_at'),
        ],
        indices: [
          index('moderation_rule', 'list', ['created_at', 'id']),
          index('moderation_rule', 'space', ['space_id', 'created_at']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_sanction',
        columns: [
          { ...ref('id'), isPrimary: true },
          ref('user_id'),
          str('kind', 8),
          str('reason', 1000),
          time('ends_at', true),
          time('ended_at', true),
          ref('ended_by', true),
          str('end_reason', 1000, true),
          ref('created_by'),
          time('created_at'),
        ],
        indices: [
          index('moderation_sanction', 'user', ['user_id', 'ended_at']),
          index('moderation_sanction', 'due', ['ended_at', 'ends_at']),
          index('moderation_sanction', 'list', ['created_at', 'id']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_log',
        columns: [
          { ...ref('id'), isPrimary: true },
          time('at'),
          ref('actor_id', true),
          str('actor_role', 16),
          str('action', 48),
          ref('item_id', true),
          ref('content_id', true),
          ref('user_id', true),
          ref('space_id', true),
          str('reason', 1000, true),
          { name: 'details', type: 'text', isNullable: true },
        ],
        indices: [
          index('moderation_log', 'at', ['at', 'id']),
          index('moderation_log', 'user', ['user_id', 'at', 'id']),
          index('moderation_log', 'actor', ['actor_id', 'at', 'id']),
          index('moderation_log', 'action', ['action', 'at', 'id']),
          index('moderation_log', 'space', ['space_id', 'at', 'id']),
          index('moderation_log', 'content', ['content_id', 'at']),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_space',
        columns: [
          { ...ref('space_id'), isPrimary: true },
          flag('premoderated', false),
          int('slow_mode_seconds', 0),
          ref('updated_by'),
          time('updated_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_pace',
        columns: [{ ...ref('space_id'), isPrimary: true }, { ...ref('user_id'), isPrimary: true }, time('last_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'moderation_state',
        columns: [{ ...str('name', 32), isPrimary: true }, int('version')],
      }),
    );
    await q.query(`INSERT INTO moderation_state (name, version) VALUES ('rules', 1)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'moderation_state',
      'moderation_pace',
      'moderation_space',
      'moderation_log',
      'moderation_sanction',
      'moderation_rule',
      'moderation_note',
      'moderation_report',
      'moderation_item',
    ])
      await q.dropTable(table);
  }
}
