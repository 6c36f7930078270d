import type { MigrationClass } from '@plein/sdk';
import { DataSource } from 'typeorm';
import { MigrationExecutor } from 'typeorm';
import type { DatabaseConfig } from '../config/config';
import { dataSourceOptions, ensureMysqlDatabase } from './data-source';

/** The migrations of one owner (core or a plugin), kept in the table `migrations_<owner>`. */
export interface MigrationSet {
  owner: string;
  migrations: MigrationClass[];
}

/** Progress reported while migrating, for the CLI's progress bar and the boot log. */
export interface MigrationProgress {
  onSetStart?(owner: string, pending: number): void;
  onMigration?(owner: string, name: string): void;
  onSetDone?(owner: string, ran: number): void;
}

export class MigrationFailedError extends Error {
  constructor(
    readonly owner: string,
    readonly migration: string,
    cause: Error,
  ) {
    super(`Migration ${migration} of '${owner}' failed: ${cause.message}`, { cause });
  }
}

export function migrationsTable(owner: string): string {
  return `migrations_${owner.replace(/-/g, '_')}`;
}

async function withExecutor<T>(db: DatabaseConfig, set: MigrationSet, work: (executor: MigrationExecutor) => Promise<T>): Promise<T> {
  const dataSource = new DataSource(
    dataSourceOptions(db, { entities: [], migrations: set.migrations, migrationsTableName: migrationsTable(set.owner) }),
  );
  await dataSource.initialize();
  try {
    const executor = new MigrationExecutor(dataSource);
    executor.transaction = 'each';
    return await work(executor);
  } finally {
    await dataSource.destroy();
  }
}

/** Runs the pending migrations of each set, in the order given; returns how many ran per owner. */
export async function migrateUp(db: DatabaseConfig, sets: MigrationSet[], progress: MigrationProgress = {}): Promise<Record<string, number>> {
  await ensureMysqlDatabase(db);
  const ran: Record<string, number> = {};
  for (const set of sets) {
    ran[set.owner] = await withExecutor(db, set, async (executor) => {
      const pending = await executor.getPendingMigrations();
      progress.onSetStart?.(set.owner, pending.length);
      for (const migration of pending) {
        progress.onMigration?.(set.owner, migration.name);
        try {
          await executor.executeMigration(migration);
        } catch (error) {
          throw new MigrationFailedError(set.owner, migration.name, error as Error);
        }
      }
      progress.onSetDone?.(set.owner, pending.length);
      return pending.length;
    });
  }
  return ran;
}

/** Reverts every executed migration of each set, the sets in reverse order. */
export async function migrateDown(db: DatabaseConfig, sets: MigrationSet[], progress: MigrationProgress = {}): Promise<void> {
  for (const set of [...sets].reverse()) {
    await withExecutor(db, set, async (executor) => {
      const executed = await executor.getExecutedMigrations();
      progress.onSetStart?.(set.owner, executed.length);
      for (let i = 0; i < executed.length; i++) {
        progress.onMigration?.(set.owner, executed[executed.length - 1 - i].name);
        await executor.undoLastMigration();
      }
      progress.onSetDone?.(set.owner, executed.length);
    });
  }
}

/** Pending migration names per owner, without running anything. */
export async function pendingMigrations(db: DatabaseConfig, sets: MigrationSet[]): Promise<Record<string, string[]>> {
  await ensureMysqlDatabase(db);
  const result: Record<string, string[]> = {};
  for (const set of sets) {
    result[set.owner] = await withExecutor(db, set, async (executor) => (await executor.getPendingMigrations()).map((m) => m.name));
  }
  return result;
}
