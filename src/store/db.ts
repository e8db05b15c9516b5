import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import type { DB } from './schema.ts';

/** Which SQL engine a store runs on; queries are shared, a few DDL details are not. */
export type SqlDialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what the few dialect-aware spots need. */
export interface Database {
  db: Kysely<DB>;
  dialect: SqlDialect;
  /** The SQLite handle under Kysely, for hot paths that reuse prepared statements (SQLite only). */
  sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// PostgreSQL returns int8 and numeric as strings by default; our ids and epoch-ms times fit in a double.
pg.types.setTypeParser(20, (value) => Number(value));

/** Opens SQLite (WAL, foreign keys on) or a PostgreSQL pool, as the target says. */
export function openDatabase(target: DatabaseTarget, options: { poolSize?: number } = {}): Database {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: options.poolSize ?? 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const sqlite = openSqliteFile(target.path);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', sqlite, close: () => db.destroy() };
}

function openSqliteFile(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  return sqlite;
}
