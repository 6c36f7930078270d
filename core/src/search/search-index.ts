import type { SelectQueryBuilder } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { bodyOf, booleanQueries, ftsMatch, indexTerms, indexText, markHits, snippetOf } from './search-text';

/** What the index holds of one published item. */
export interface SearchDocument {
  contentId: string;
  title: string | null;
  /** The item's text, without its title. */
  body: string;
}

/** A ranked row as the search query gives it back: the engine's hit columns beside core_content's. */
export interface RankedRow {
  score: number | string;
  title: string | null;
  /** SQLite: the title with hits marked by `highlight()`. */
  title_hits?: string | null;
  /** SQLite: the excerpt with hits marked by `snippet()`. */
  excerpt_hits?: string | null;
  /** MySQL: the text the excerpt is cut from. */
  search_text?: string | null;
}

/** How much index text one MySQL statement carries at most. */
const MAX_STATEMENT_BYTES = 4_000_000;

/** How many words an excerpt shows. */
const EXCERPT_WORDS = 24;

/**
 * The full-text index of one engine: how documents are written and removed, and how a query on
 * `core_search s` (joined to `core_content c`) matches, scores and marks hits. Scores are
 * "higher is better" on both engines, so one keyset serves both.
 */
export abstract class SearchIndex {
  constructor(protected readonly db: DatabaseService) {}

  static for(db: DatabaseService): SearchIndex {
    return db.engine === 'mysql' ? new MysqlSearchIndex(db) : new SqliteSearchIndex(db);
  }

  /** Adds or replaces one document. */
  abstract put(doc: SearchDocument): Promise<void>;

  /** Adds or replaces documents (a rebuild's batch). */
  async putMany(docs: readonly SearchDocument[]): Promise<void> {
    for (const doc of docs) await this.put(doc);
  }

  /** Removes documents; ids not in the index are ignored. */
  abstract remove(contentIds: readonly string[]): Promise<void>;

  /** Content ids in the index after `after`, in id order (the rebuild's sweep walks them). */
  abstract indexedAfter(after: string, limit: number): Promise<string[]>;

  /** Compacts the index after a rebuild, where the engine has a way to. */
  async optimize(): Promise<void> {}

  /** The score of a row, as an SQL expression over `s` (higher is better). */
  abstract score(): string;

  /** Adds the match condition and the hit columns for `words` to a query on `core_search s` joined to `core_content c`. */
  abstract match(qb: SelectQueryBuilder<any>, words: readonly string[]): void;

  /** The marked title and excerpt of a ranked row. */
  abstract hits(row: RankedRow, words: readonly string[]): { title: string; excerpt: string };
}

/** SQLite: FTS5 (docs/search.md). */
export class SqliteSearchIndex extends SearchIndex {
  async put(doc: SearchDocument): Promise<void> {
    const m = this.db.manager();
    await m.query('INSERT INTO core_search_doc (content_id) VALUES (?) ON CONFLICT (content_id) DO NOTHING', [doc.contentId]);
    const [{ doc_id: docId }] = (await m.query('SELECT doc_id FROM core_search_doc WHERE content_id = ?', [doc.contentId])) as Array<{ doc_id: number }>;
    await m.query('DELETE FROM core_search WHERE rowid = ?', [docId]);
    await m.query('INSERT INTO core_search (rowid, content_id, title, body) VALUES (?, ?, ?, ?)', [docId, doc.contentId, indexText(doc.title), indexText(doc.body)]);
  }

  async remove(contentIds: readonly string[]): Promise<void> {
    if (contentIds.length === 0) return;
    const m = this.db.manager();
    const docs = (await m.query(`SELECT doc_id FROM core_search_doc WHERE content_id IN (${DatabaseService.placeholders(contentIds.length)})`, [...contentIds])) as Array<{ doc_id: number }>;
    if (docs.length === 0) return;
    const ids = docs.map((d) => d.doc_id);
    await m.query(`DELETE FROM core_search WHERE rowid IN (${DatabaseService.placeholders(ids.length)})`, ids);
    await m.query(`DELETE FROM core_search_doc WHERE doc_id IN (${DatabaseService.placeholders(ids.length)})`, ids);
  }

  async indexedAfter(after: string, limit: number): Promise<string[]> {
    const rows = await this.db.select<{ content_id: string }>('SELECT content_id FROM core_search_doc WHERE content_id > ? ORDER BY content_id LIMIT ?', [after, limit]);
    return rows.map((r) => r.content_id);
  }

  override async optimize(): Promise<void> {
    await this.db.manager().query("INSERT INTO core_search (core_search) VALUES ('optimize')");
  }

  score(): string {
    // bm25 with the title weighing four times the text (content_id is not indexed: weight 0).
    return '(-bm25(s.core_search, 0, 4, 1))';
  }

  match(qb: SelectQueryBuilder<any>, words: readonly string[]): void {
    qb.addSelect('highlight(s.core_search, 1, char(2), char(3))', 'title_hits')
      .addSelect(`snippet(s.core_search, 2, char(2), char(3), '…', ${EXCERPT_WORDS})`, 'excerpt_hits')
      .andWhere('s.core_search MATCH :match', { match: ftsMatch(words) });
  }

  hits(row: RankedRow): { title: string; excerpt: string } {
    return { title: row.title_hits ?? '', excerpt: row.excerpt_hits ?? '' };
  }
}

/** MySQL/MariaDB: InnoDB FULLTEXT on Plein's own term lists (docs/search.md). */
export class MysqlSearchIndex extends SearchIndex {
  async put(doc: SearchDocument): Promise<void> {
    await this.putMany([doc]);
  }

  /**
   * One statement per few megabytes (under `max_allowed_packet`, 16 MiB by default): a round trip
   * per item made a rebuild of 10,000 items take 14 s.
   */
  override async putMany(docs: readonly SearchDocument[]): Promise<void> {
    let rows: string[][] = [];
    let bytes = 0;
    const flush = async () => {
      if (rows.length === 0) return;
      await this.db
        .manager()
        .query(
          `INSERT INTO core_search (content_id, title_terms, terms) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')} ON DUPLICATE KEY UPDATE title_terms = VALUES(title_terms), terms = VALUES(terms)`,
          rows.flat(),
        );
      rows = [];
      bytes = 0;
    };
    for (const doc of docs) {
      const titleTerms = indexTerms(doc.title);
      const row = [doc.contentId, titleTerms, `${titleTerms} ${indexTerms(doc.body)}`.trim()];
      bytes += Buffer.byteLength(row[2]) + Buffer.byteLength(titleTerms) + 64;
      rows.push(row);
      if (bytes > MAX_STATEMENT_BYTES) await flush();
    }
    await flush();
  }

  async remove(contentIds: readonly string[]): Promise<void> {
    if (contentIds.length === 0) return;
    await this.db.manager().query(`DELETE FROM core_search WHERE content_id IN (${DatabaseService.placeholders(contentIds.length)})`, [...contentIds]);
  }

  async indexedAfter(after: string, limit: number): Promise<string[]> {
    const rows = await this.db.select<{ content_id: string }>('SELECT content_id FROM core_search WHERE content_id > ? ORDER BY content_id LIMIT ?', [after, limit]);
    return rows.map((r) => r.content_id);
  }

  score(): string {
    // Every word in title or text is required; words in the title count three times as much.
    return '(MATCH (s.terms) AGAINST (:all IN BOOLEAN MODE) + 2 * MATCH (s.title_terms) AGAINST (:any IN BOOLEAN MODE))';
  }

  match(qb: SelectQueryBuilder<any>, words: readonly string[]): void {
    const { all, any } = booleanQueries(words);
    qb.addSelect('c.search_text', 'search_text').andWhere('MATCH (s.terms) AGAINST (:all IN BOOLEAN MODE)', { all, any });
  }

  hits(row: RankedRow, words: readonly string[]): { title: string; excerpt: string } {
    return { title: markHits(row.title ?? '', words), excerpt: snippetOf(bodyOf(row.title, row.search_text ?? null), words, EXCERPT_WORDS) };
  }
}
