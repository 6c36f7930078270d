import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `core_search_state`: one row whose `version` goes up with every write to the search index and
 * every change to what a reader may find (docs/search.md, "The answer cache"). Each instance keys
 * its cached search answers on it, so a write on one instance retires the answers of all.
 */
export class SearchState1736000000000 implements MigrationInterface {
  name = 'SearchState1736000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'core_search_state',
        columns: [
          { name: 'id', type: 'int', isPrimary: true },
          { name: 'version', type: 'bigint', default: 0 },
        ],
      }),
    );
    await q.query('INSERT INTO core_search_state (id, version) VALUES (1, 0)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('core_search_state');
  }
}
