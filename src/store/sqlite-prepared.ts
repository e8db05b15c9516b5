import type SQLite from 'better-sqlite3';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';
import type { InsertColumn } from './sql-batch.ts';

// The hottest statements of sending and of applying statuses (thousands of rows a second) run on
// SQLite as one prepared statement bound row by row, not as one statement over a JSON array of the
// rows. Measured alone on a file of 150,000 messages, a status event went in at about 7 µs instead
// of 11 and an accepted send's update took 11.6 µs instead of 15: the row and its indexes are
// SQLite's work either way, and the JSON form adds building the text, then SQLite's parsing it
// and extracting every value again.
// PostgreSQL keeps its multi-row statements, which save it round trips.

/** Prepares SQL text on one SQLite connection, each distinct text once. */
export interface PreparingSqlite {
  prepare(sql: string): SQLite.Statement;
}

const connections = new WeakMap<object, PreparingSqlite>();

/** Notes the connection under a Kysely instance on SQLite, for preparedInTransaction. */
export function registerSqliteConnection(db: Kysely<DB>, sqlite: PreparingSqlite): void {
  connections.set(db.getExecutor().adapter, sqlite);
}

/**
 * The SQLite connection under `db` when `db` is a transaction on SQLite, else undefined. Only
 * there may a statement run on the connection directly: Kysely holds its one connection for the
 * transaction's callback, and the write lock was taken when it began.
 */
export function preparedInTransaction(db: Kysely<DB> | Transaction<DB>): PreparingSqlite | undefined {
  // A transaction's executor keeps the adapter of the Kysely instance it was begun on.
  return db.isTransaction ? connections.get(db.getExecutor().adapter) : undefined;
}

/**
 * Runs `sqlText` once a row, prepared, when `db` is a transaction on SQLite, and answers true;
 * answers false elsewhere, where the caller writes the rows its own way.
 */
export function runRowByRow(
  db: Kysely<DB> | Transaction<DB>,
  sqlText: string,
  rows: readonly (readonly unknown[])[],
): boolean {
  const sqlite = preparedInTransaction(db);
  if (!sqlite) return false;
  const statement = sqlite.prepare(sqlText);
  for (const row of rows) statement.run(row);
  return true;
}

/** The text of a one-row INSERT into `table` of `columns`, each bound by `?`, then `tail` (a conflict clause). */
export function insertOneText(table: string, columns: readonly InsertColumn[], tail = ''): string {
  const names = columns.map(([column]) => column).join(', ');
  return `insert into ${table} (${names}) values (${columns.map(() => '?').join(', ')}) ${tail}`.trimEnd();
}
