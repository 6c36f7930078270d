import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';

/**
 * The database, transaction-aware. Inside {@link Database.transaction}, repositories from
 * {@link Database.repository} use the transaction, and events and jobs wait for the commit.
 *
 * @example
 * ```ts
 * constructor(private readonly db: Database, private readonly events: EventBus) {}
 *
 * async give(from: string, to: string) {
 *   return this.db.transaction(async () => {
 *     const kudo = await this.db.repository(Kudo).save({ fromUserId: from, toUserId: to });
 *     await this.events.publish(kudosGiven, { kudoId: kudo.id, toUserId: to });
 *     return kudo;
 *   });
 * }
 * ```
 */
export abstract class Database {
  /**
   * `sqlite` (embedded default) or `mysql` (MySQL and MariaDB).
   *
   * @example
   * ```ts
   * if (db.engine === 'mysql') { ... }
   * ```
   */
  abstract readonly engine: 'sqlite' | 'mysql';

  /**
   * Runs `work` in a transaction, or joins the one already open. Events published and jobs
   * enqueued inside it are delivered after commit and dropped on rollback.
   *
   * @example
   * ```ts
   * await db.transaction(async (manager) => manager.increment(Counter, { id }, 'value', 1));
   * ```
   */
  abstract transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;

  /**
   * A repository for `entity`, bound to the current transaction when there is one.
   *
   * @example
   * ```ts
   * const latest = await db.repository(Kudo).find({ order: { createdAt: 'DESC' }, take: 20 });
   * ```
   */
  abstract repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E>;

  /**
   * The entity manager of the current transaction, or the default one.
   *
   * @example
   * ```ts
   * const rows = await db.manager().query('SELECT 1 AS one');
   * ```
   */
  abstract manager(): EntityManager;
}
