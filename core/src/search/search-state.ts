import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { EntitySubscriberInterface } from 'typeorm';
import type { DatabaseService } from '../database/database.service';

/** A statement that writes a table whose rows decide what search finds (looked for at its start only). */
const SEARCHED_WRITE =
  /^\s*(?:UPDATE|DELETE\s+FROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO)\s+[`"]?(?:core_content|core_space)[`"]?[\s(]/i;

/**
 * What search answers were computed against: the index version every instance shares
 * (`core_search_state`, bumped with each index write and each change to what a reader may find),
 * which spaces are private (a space's visibility changes without touching the index), and a local
 * count this instance bumps at once after its own writes.
 *
 * Like per-space plugin state, the shared part is read at most once per `pollMs`
 * (`PLEIN_STATE_POLL_MS`; 0 reads it for every search), so a write on another instance retires this
 * instance's answers within that interval; a write through this instance retires them at once.
 */
export class SearchState {
  private shared: { token: string; at: number } | null = null;
  private reading: Promise<string> | null = null;
  private local = 0;
  /** Called whenever the state moves on (the answer cache empties itself). */
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: DatabaseService,
    private readonly pollMs: number,
  ) {}

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The state as a short string: equal strings, equal answers. */
  async current(): Promise<string> {
    const fresh = this.shared && this.pollMs > 0 && performance.now() - this.shared.at < this.pollMs;
    const shared = fresh ? this.shared!.token : await this.readShared();
    return `${shared}.${this.local}`;
  }

  /**
   * Bumps the shared version inside the open transaction (so it commits with the write it
   * announces), and this instance's at once after commit. Make it the transaction's last write:
   * on MySQL the row stays locked until commit.
   */
  async bump(): Promise<void> {
    // Also now: on SQLite a search shares the writer's connection and may read the write before it
    // commits; its answer must not be filed under a key the state could have again after a rollback.
    this.moved();
    await this.db.manager().query('UPDATE core_search_state SET version = version + 1 WHERE id = 1');
    await this.db.afterCommit(() => this.moved());
  }

  /**
   * Bumps the version once the open transaction (if any) has committed, in a transaction of its own:
   * for changes made inside transactions Plein does not control the end of (a plugin's), where a
   * locked row could wait on the plugin's further work.
   */
  async bumpAfterCommit(): Promise<void> {
    this.moved();
    await this.db.afterCommit(async () => {
      await this.db.transaction((m) => m.query('UPDATE core_search_state SET version = version + 1 WHERE id = 1'));
      this.moved();
    });
  }

  /**
   * Retires this instance's answers after any statement through its connection that writes
   * `core_content` or `core_space`, however it was made (a plugin's or a test's own SQL, a space's
   * visibility): a safety net under the bumps, which remain what other instances go by.
   */
  watchWrites(): void {
    const subscriber: EntitySubscriberInterface = {
      afterQuery: (event) => {
        if (event.success && SEARCHED_WRITE.test(event.query.slice(0, 80))) this.moved();
      },
    };
    this.db.dataSource.subscribers.push(subscriber);
  }

  private moved(): void {
    this.local++;
    for (const listener of this.listeners) listener();
  }

  /** One read of the shared part, however many searches ask for it at once. */
  private readShared(): Promise<string> {
    this.reading ??= (async () => {
      try {
        const [state] = await this.db.select<{ version: number | string }>(
          'SELECT version FROM core_search_state WHERE id = 1',
          [],
        );
        const spaces = await this.db.select<{ id: string }>(
          "SELECT id FROM core_space WHERE visibility = 'private' ORDER BY id",
          [],
        );
        const privateSpaces = createHash('sha1')
          .update(spaces.map((s) => s.id).join(','))
          .digest('base64url')
          .slice(0, 12);
        const token = `${state?.version ?? 0}.${privateSpaces}`;
        if (this.shared && this.shared.token !== token) for (const listener of this.listeners) listener();
        this.shared = { token, at: performance.now() };
        return token;
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}
