import type { ColumnDataType, Migration } from 'kysely';
import type { SqlDialect } from '../db.ts';

/** A migration that may differ by dialect in its column types only, never in its shape. */
export type MigrationFactory = (dialect: SqlDialect) => Migration;

/** Auto-incrementing primary key: SQLite's rowid alias, PostgreSQL's bigserial. */
export function idColumn(dialect: SqlDialect): ColumnDataType {
  return dialect === 'postgres' ? 'bigserial' : 'integer';
}

/** Epoch milliseconds do not fit PostgreSQL's 32-bit integer. */
export const epochMs: ColumnDataType = 'bigint';
