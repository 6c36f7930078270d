import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger } from '@nestjs/common';
import { Database } from '@plein/sdk';
import { QueryFailedError, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral, type Repository } from 'typeorm';

/** The part of better-sqlite3 that {@link DatabaseService.select} uses (the package ships no types). */
interface Statement {
  readonly reader: boolean;
  all(...values: unknown[]): unknown[];
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): Statement;
}

/** What one open transaction carries: its manager and the work that waits for its commit. */
interface TransactionScope {
  manager: EntityManager;
  afterCommit: Array<() => Promise<void> | void>;
}

const WRITE_METHODS = new Set([
  'save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore',
  'recover', 'increment', 'decrement', 'clear', 'updateAll', 'deleteAll',
]);

/**
 * The SDK's {@link Database}, transaction-aware through AsyncLocalStorage.
 *
 * SQLite has one connection, which TypeORM shares between all callers: two transactions open at
 * once would interleave on it. So on SQLite transactions are serialised here, and repository
 * writes made outside a transaction are wrapped in one, so they wait their turn too.
 */
export class DatabaseService extends Database {
  private readonly scope = new AsyncLocalStorage<TransactionScope>();
  private readonly logger = new Logger('Database');
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private openTransactions = 0;
  private readonly autoRepos = new Map<unknown, Repository<ObjectLiteral>>();
  /** Prepared statements of {@link select} on SQLite, by SQL text (bounded: SQL is written by code, not users). */
  private readonly sqliteStatements = new Map<string, Statement>();
  readonly engine: 'sqlite' | 'mysql';

  constructor(readonly dataSource: DataSource) {
    super();
    this.engine = dataSource.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  inTransaction(): boolean {
    return this.scope.getStore() !== undefined;
  }

  /** Runs `callback` after the current transaction commits, or now when there is none. */
  async afterCommit(callback: () => Promise<void> | void): Promise<void> {
    const store = this.scope.getStore();
    if (store) store.afterCommit.push(callback);
    else await callback();
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const open = this.scope.getStore();
    if (open) return work(open.manager);
    const run = async (): Promise<{ result: T; after: TransactionScope['afterCommit'] }> => {
      const after: TransactionScope['afterCommit'] = [];
      this.openTransactions++;
      try {
        const result = await this.dataSource.transaction((manager) =>
          this.scope.run({ manager, afterCommit: after }, () => work(manager)),
        );
        return { result, after };
      } finally {
        // With no transaction open, nothing needs the scope: disabling it turns Node's promise
        // hooks off again (while on, every promise of every request pays for propagating it).
        // The next `run` turns them back on.
        if (--this.openTransactions === 0) this.scope.disable();
      }
    };
    let outcome: { result: T; after: TransactionScope['afterCommit'] };
    if (this.engine === 'sqlite') {
      const turn = this.sqliteQueue.then(run, run);
      this.sqliteQueue = turn.catch(() => undefined);
      outcome = await turn;
    } else {
      outcome = await run();
    }
    for (const callback of outcome.after) {
      try {
        await callback();
      } catch (error) {
        this.logger.error(`after-commit work failed: ${(error as Error).stack ?? error}`);
      }
    }
    return outcome.result;
  }

  repository<E extends ObjectLiteral>(entity: EntityTarget<E>): Repository<E> {
    const open = this.scope.getStore();
    if (open) return open.manager.getRepository(entity);
    if (this.engine === 'mysql') return this.dataSource.getRepository(entity);
    let repo = this.autoRepos.get(entity);
    if (!repo) {
      const base = this.dataSource.getRepository(entity);
      repo = new Proxy(base, {
        get: (target, prop, receiver) => {
          if (typeof prop === 'string' && WRITE_METHODS.has(prop)) {
            return (...args: unknown[]) =>
              this.transaction((manager) => {
                const r = manager.getRepository(entity) as unknown as Record<string, (...a: unknown[]) => unknown>;
                return r[prop](...args) as Promise<unknown>;
              });
          }
          return Reflect.get(target, prop, receiver);
        },
      }) as Repository<ObjectLiteral>;
      this.autoRepos.set(entity, repo);
    }
    return repo as Repository<E>;
  }

  manager(): EntityManager {
    return this.scope.getStore()?.manager ?? this.dataSource.manager;
  }

  /**
   * Rows of one read written as SQL, inside the open transaction if there is one. For core's
   * hottest reads (every list batch-loads its people and content records): TypeORM's `find()`
   * builds, runs and hydrates for 250–370 µs what this does in about 100 µs.
   */
  select<T>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    if (this.engine === 'sqlite') return this.sqliteSelect<T>(sql, parameters);
    return this.manager().query(sql, [...parameters]) as Promise<T[]>;
  }

  /**
   * On SQLite every caller shares TypeORM's one better-sqlite3 connection, inside a transaction or
   * not, so a read can run on it directly: a cached prepared statement, without the query runner
   * TypeORM creates, broadcasts through and releases for each query (a third of a small read's
   * cost). The query still goes to TypeORM's logger, and a failure is still a `QueryFailedError`.
   */
  private sqliteSelect<T>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    const values = parameters.map((p) => (typeof p === 'boolean' ? Number(p) : p));
    this.dataSource.logger.logQuery(sql, values);
    try {
      let statement = this.sqliteStatements.get(sql);
      if (!statement) {
        const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
        statement = connection.prepare(sql);
        if (this.sqliteStatements.size >= 500) this.sqliteStatements.delete(this.sqliteStatements.keys().next().value as string);
        this.sqliteStatements.set(sql, statement);
      }
      if (statement.reader) return Promise.resolve(statement.all(...values) as T[]);
      // A statement that returns no rows (`ANALYZE`): run, as TypeORM's query() would.
      statement.run(...values);
      return Promise.resolve([]);
    } catch (error) {
      this.dataSource.logger.logQueryError(error as Error, sql, values);
      return Promise.reject(new QueryFailedError(sql, values, error as Error));
    }
  }

  /**
   * The raw rows of a query built with TypeORM's query builder, run like {@link select} (a cached
   * prepared statement on SQLite): what `getRawMany()` answers, without its query runner.
   */
  selectBuilt<T>(qb: { getQueryAndParameters(): [string, unknown[]] }): Promise<T[]> {
    const [sql, parameters] = qb.getQueryAndParameters();
    return this.select<T>(sql, parameters);
  }

  /** `IN (?, ?, …)` placeholders for `n` values. */
  static placeholders(n: number): string {
    return new Array(n).fill('?').join(', ');
  }

  /** A `datetime(3)` column as a Date: SQLite gives back the UTC text TypeORM wrote, mysql2 a Date. */
  toDate(value: string | Date): Date;
  toDate(value: string | Date | null): Date | null;
  toDate(value: string | Date | null): Date | null {
    if (value === null || value instanceof Date) return value;
    return new Date(`${value.replace(' ', 'T')}Z`);
  }
}
