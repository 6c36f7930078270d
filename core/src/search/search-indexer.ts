import { contentEvents, type ContentEventPayload, type DeliveredEvent } from '@plein/sdk';
import { DatabaseService } from '../database/database.service';
import type { EventBusService } from '../events/event-bus.service';
import { SearchIndex } from './search-index';
import { SearchState } from './search-state';
import { bodyOf } from './search-text';

/** What a rebuild reports as it goes: `indexing` walks core_content, `sweeping` the index. */
export type ReindexProgress = (phase: 'indexing' | 'sweeping', done: number, total: number) => void;

interface IndexSource {
  id: string;
  status: string;
  title: string | null;
  search_text: string | null;
}

/**
 * Writes the search index from core_content: one item as its events arrive, or everything
 * (`plein search reindex`). Needs the database only, so the command line runs it without booting.
 */
export class SearchIndexer {
  readonly index: SearchIndex;

  /** `state`: what cached answers are filed under; every write moves it on (the command line's too). */
  constructor(
    private readonly db: DatabaseService,
    readonly state: SearchState = new SearchState(db, 0),
  ) {
    this.index = SearchIndex.for(db);
  }

  /** Keeps the index current: every `content.*` event refreshes its item, through the outbox (at least once, in any order). */
  indexContentEvents(events: EventBusService): void {
    for (const [name, event] of Object.entries(contentEvents)) {
      events.register({
        key: `core:SearchIndex.${name}`,
        pluginId: 'core',
        eventName: event.name,
        durable: true,
        attempts: 5,
        invoke: (delivered) => this.refresh((delivered as DeliveredEvent<ContentEventPayload>).payload.contentId),
      });
    }
  }

  /**
   * Brings one item's entry up to date with its record: indexed when published, gone otherwise.
   * It reads the record as it is now, so a repeated or late event changes nothing.
   */
  async refresh(contentId: string): Promise<void> {
    const rows = await this.db.select<IndexSource>('SELECT id, status, title, search_text FROM core_content WHERE id = ?', [contentId]);
    await this.write(rows.length ? rows : [{ id: contentId, status: 'gone', title: null, search_text: null }]);
  }

  /** Published records written to the index, the others taken out of it; the state moves on. */
  private async write(rows: readonly IndexSource[]): Promise<void> {
    await this.index.putMany(rows.filter((r) => r.status === 'published').map((r) => ({ contentId: r.id, title: r.title, body: bodyOf(r.title, r.search_text) })));
    await this.index.remove(rows.filter((r) => r.status !== 'published').map((r) => r.id));
    // Last: in a transaction, the state row stays locked only until the commit that follows.
    await this.state.bump();
  }

  /**
   * Rebuilds the whole index from core_content while search keeps working: every item in batches
   * (published ones written, others removed), then a sweep of the index for entries whose item is
   * gone. Each batch is one transaction.
   */
  async reindex(progress: ReindexProgress = () => undefined, batchSize = 500): Promise<{ indexed: number; removed: number }> {
    const [{ n }] = await this.db.select<{ n: number | string }>('SELECT COUNT(*) AS n FROM core_content', []);
    const total = Number(n);
    let done = 0;
    let indexed = 0;
    let after = '';
    progress('indexing', 0, total);
    for (;;) {
      const rows = await this.db.select<IndexSource>('SELECT id, status, title, search_text FROM core_content WHERE id > ? ORDER BY id LIMIT ?', [after, batchSize]);
      if (rows.length === 0) break;
      await this.db.transaction(() => this.write(rows));
      indexed += rows.filter((r) => r.status === 'published').length;
      done += rows.length;
      after = rows[rows.length - 1].id;
      progress('indexing', Math.min(done, total), Math.max(done, total));
    }
    let removed = 0;
    let swept = 0;
    after = '';
    progress('sweeping', 0, indexed);
    for (;;) {
      const ids = await this.index.indexedAfter(after, batchSize);
      if (ids.length === 0) break;
      const published = new Set(
        (await this.db.select<{ id: string }>(`SELECT id FROM core_content WHERE status = 'published' AND id IN (${DatabaseService.placeholders(ids.length)})`, ids)).map((r) => r.id),
      );
      const gone = ids.filter((id) => !published.has(id));
      if (gone.length)
        await this.db.transaction(async () => {
          await this.index.remove(gone);
          await this.state.bump();
        });
      removed += gone.length;
      swept += ids.length;
      after = ids[ids.length - 1];
      progress('sweeping', Math.min(swept, indexed), Math.max(swept, indexed));
    }
    await this.index.optimize();
    return { indexed, removed };
  }
}
