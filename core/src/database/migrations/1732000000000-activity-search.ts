import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The activity stream's indexes and the search index (docs/search.md).
 *
 * Activity: the unfiltered stream reads `idx_core_content_stream` (status, created_at, id), which
 * the identity migration made; filtered by plugin or by space it needs the filter column first and
 * the sort order after it, `id` included so ties on `created_at` are ordered from the index too.
 *
 * Search, on SQLite: an FTS5 table (`unicode61` with diacritics folded, so `een` finds `één`; no
 * minimum word length, no stopwords), ranked by bm25, excerpts by `snippet()`. FTS5 rows are keyed
 * by an integer rowid: `core_search_doc` gives each content id its rowid, so an update or removal
 * reaches its row by key instead of scanning the UNINDEXED `content_id` column.
 *
 * Search, on MySQL/MariaDB: InnoDB FULLTEXT on word lists Plein writes itself (`terms`: every word
 * of title and text, lower case, diacritics folded, each prefixed `w_`). The prefix lifts every word
 * over `innodb_ft_min_token_size` (3) and past the stopword list (`at`, `de`, `en`, …), which cannot
 * be changed without a server restart; the ngram parser would do it too, but MariaDB has none.
 */
export class ActivitySearch1732000000000 implements MigrationInterface {
  name = 'ActivitySearch1732000000000';

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.options.type === 'mysql';
    await q.createIndex('core_content', new TableIndex({ name: 'idx_core_content_plugin_stream', columnNames: ['plugin_id', 'status', 'created_at', 'id'] }));
    // InnoDB ends every index with the primary key: there, idx_core_content_space is (space_id, status, created_at, id) already.
    if (!mysql) await q.createIndex('core_content', new TableIndex({ name: 'idx_core_content_space_stream', columnNames: ['space_id', 'status', 'created_at', 'id'] }));
    if (mysql) {
      await q.createTable(
        new Table({
          name: 'core_search',
          columns: [
            { name: 'content_id', type: 'varchar', length: '36', isPrimary: true },
            { name: 'title_terms', type: 'text', isNullable: true },
            { name: 'terms', type: 'mediumtext' },
          ],
          indices: [
            new TableIndex({ name: 'ft_core_search_terms', columnNames: ['terms'], isFulltext: true }),
            new TableIndex({ name: 'ft_core_search_title', columnNames: ['title_terms'], isFulltext: true }),
          ],
        }),
      );
      return;
    }
    await q.createTable(
      new Table({
        name: 'core_search_doc',
        columns: [
          { name: 'doc_id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'content_id', type: 'varchar', length: '36' },
        ],
        indices: [new TableIndex({ name: 'uq_core_search_doc_content', columnNames: ['content_id'], isUnique: true })],
      }),
    );
    await q.query(`CREATE VIRTUAL TABLE core_search USING fts5(content_id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'mysql') {
      await q.dropTable('core_search');
    } else {
      await q.query('DROP TABLE core_search');
      await q.dropTable('core_search_doc');
      await q.dropIndex('core_content', 'idx_core_content_space_stream');
    }
    await q.dropIndex('core_content', 'idx_core_content_plugin_stream');
  }
}
