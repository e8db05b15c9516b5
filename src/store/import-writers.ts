import type { Database } from './db.ts';
import type { ImportWriter } from './import-writer.ts';
import { createPostgresImportWriter } from './import-writer-postgres.ts';
import { createSqliteImportWriter } from './import-writer-sqlite.ts';

/** The fastest writer for the dialect: reused prepared statements on SQLite, array parameters on PostgreSQL. */
export function createImportWriter(database: Database): ImportWriter {
  if (database.dialect === 'sqlite' && database.sqlite) return createSqliteImportWriter(database, database.sqlite);
  return createPostgresImportWriter(database.db);
}
