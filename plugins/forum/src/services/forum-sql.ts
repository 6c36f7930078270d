import type { Database } from '@plein/sdk';

/** A datetime as a plain statement answers it: a Date (mysql2) or UTC text (SQLite, as TypeORM writes it). */
export function sqlDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(`${String(value).replace(' ', 'T')}Z`);
}

/** A time as both engines store a `datetime(3)` (UTC, as TypeORM writes it), for a plain statement. */
export function sqlTime(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The rows of `SELECT * FROM <entity's table> WHERE <where>` as entities, without TypeORM's query
 * builder: for the reads every page of the forum makes (a topic, its category), where building
 * and hydrating through TypeORM costs more than the statement. Columns are converted by their
 * declared type, as TypeORM would: datetimes to Dates, booleans and ints to booleans and numbers.
 */
export async function selectEntities<T extends object>(
  db: Database,
  entity: new () => T,
  where: string,
  parameters: unknown[],
): Promise<T[]> {
  const metadata = db.manager().connection.getMetadata(entity);
  const rows: Array<Record<string, unknown>> = await db
    .manager()
    .query(`SELECT * FROM ${metadata.tableName} WHERE ${where}`, parameters);
  return entitiesFrom(db, entity, rows);
}

/**
 * Rows a plain statement answered as entities, converting columns by their declared type; `prefix`
 * is what the statement put before each column name (`t_` for a query builder's alias `t`).
 */
export function entitiesFrom<T extends object>(
  db: Database,
  entity: new () => T,
  rows: Array<Record<string, unknown>>,
  prefix = '',
): T[] {
  const metadata = db.manager().connection.getMetadata(entity);
  return rows.map((row) => {
    const item = new entity() as Record<string, unknown>;
    for (const column of metadata.columns) {
      const key = prefix + column.databaseName;
      if (!(key in row)) continue;
      const value = row[key];
      item[column.propertyName] =
        value === null || value === undefined
          ? null
          : column.type === 'datetime'
            ? sqlDate(value)
            : column.type === 'boolean'
              ? Boolean(Number(value))
              : column.type === 'int'
                ? Number(value)
                : value;
    }
    return item as T;
  });
}
