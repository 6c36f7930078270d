import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/config';

/** TypeORM options for either engine. `synchronize` is never used: migrations own the schema. */
export function dataSourceOptions(db: DatabaseConfig, extra: Partial<DataSourceOptions> = {}): DataSourceOptions {
  if (db.engine === 'sqlite') {
    if (db.path !== ':memory:') mkdirSync(dirname(db.path), { recursive: true });
    return {
      type: 'better-sqlite3',
      database: db.path,
      // WAL lets readers go on while a write commits; busy_timeout covers other processes (CLI).
      prepareDatabase: (conn: { pragma(s: string): unknown }) => {
        conn.pragma('journal_mode = WAL');
        conn.pragma('busy_timeout = 5000');
        conn.pragma('foreign_keys = ON');
      },
      // Prepared statements kept per SQL text. TypeORM's default of 100 is less than the distinct
      // statements one busy intranet sends (each `IN (…)` length is its own), and a statement
      // pushed out is prepared again on its next use.
      statementCacheSize: 1000,
      synchronize: false,
      logging: ['error'],
      ...extra,
    } as DataSourceOptions;
  }
  return {
    type: 'mysql',
    url: db.url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    extra: { connectionLimit: 20 },
    synchronize: false,
    logging: ['error'],
    ...extra,
  } as DataSourceOptions;
}

/** Runs one statement on the MySQL server of `db`, outside any database (create or drop one). */
async function onServer(db: DatabaseConfig & { engine: 'mysql' }, statement: string): Promise<void> {
  const url = new URL(db.url);
  url.pathname = '/';
  const admin = new DataSource({ type: 'mysql', url: url.toString() });
  await admin.initialize();
  try {
    await admin.query(statement);
  } finally {
    await admin.destroy();
  }
}

const quoted = (name: string) => `\`${name.replace(/`/g, '')}\``;

/** Creates the MySQL database named in the URL when it does not exist yet. */
export async function ensureMysqlDatabase(db: DatabaseConfig): Promise<void> {
  if (db.engine !== 'mysql') return;
  await onServer(db, `CREATE DATABASE IF NOT EXISTS ${quoted(db.database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

/** Drops a MySQL database (test teardown). */
export async function dropMysqlDatabase(db: DatabaseConfig): Promise<void> {
  if (db.engine !== 'mysql') return;
  await onServer(db, `DROP DATABASE IF EXISTS ${quoted(db.database)}`);
}
