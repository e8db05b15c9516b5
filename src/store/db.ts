import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import { type QueryReader, readOnConnection } from './query-reader.ts';
import type { DB } from './schema.ts';
import { startSqliteCheckpointer } from './sqlite-checkpointer.ts';
import { LockingSqliteDialect } from './sqlite-locking-driver.ts';
import { registerSqliteConnection } from './sqlite-prepared.ts';
import { readInBackground } from './sqlite-reader.ts';
import { newWriteLockBuffer, SqliteWriteLock } from './sqlite-write-lock.ts';

/** Which SQL engine a store runs on; queries are shared, a few DDL details are not. */
export type SqlDialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle plus what the few dialect-aware spots need. */
export interface Database {
  db: Kysely<DB>;
  dialect: SqlDialect;
  /** The SQLite handle under Kysely, for hot paths that reuse prepared statements (SQLite only). */
  sqlite?: SQLite.Database;
  /** SQLite: the write lock of this process's writing threads; give `shared` to a thread that writes. */
  sqliteWriteLock?: { shared: SharedArrayBuffer; lock: SqliteWriteLock };
  /**
   * Runs a read that needs to see only what is committed (counts for a page or a scrape): on a
   * background thread of its own for a SQLite file opened with `readsAside`, so a long count never
   * holds the thread that sends; elsewhere on `db`.
   */
  readAside: QueryReader;
  close(): Promise<void>;
}

// node-postgres is loaded only when a PostgreSQL target is opened: a SQLite process (and every
// worker thread it starts) is a few MB smaller without it.
let postgresDriver: typeof pg | undefined;
function loadPostgresDriver(): typeof pg {
  if (!postgresDriver) {
    postgresDriver = createRequire(import.meta.url)('pg') as typeof pg;
    // PostgreSQL returns int8 and numeric as strings by default; our ids and epoch-ms times fit in a double.
    postgresDriver.types.setTypeParser(20, (value) => Number(value));
  }
  return postgresDriver;
}

/** Opens SQLite (WAL, foreign keys on) or a PostgreSQL pool, as the target says. */
export function openDatabase(
  target: DatabaseTarget,
  options: {
    poolSize?: number;
    onIdleConnectionError?: (error: Error) => void;
    /** SQLite files: checkpoint the WAL from a background thread (a long-running server). */
    onCheckpointError?: (message: string) => void;
    /** SQLite, in a thread that writes beside the process's main one: the main one's write lock. */
    sharedWriteLock?: SharedArrayBuffer;
    /** SQLite files: run readAside's reads on a background thread (a long-running server). */
    readsAside?: boolean;
  } = {},
): Database {
  if (target.kind === 'postgres') {
    const pool = new (loadPostgresDriver().Pool)({ connectionString: target.url, max: options.poolSize ?? 10 });
    // An idle connection the server drops (a restart, a failover, a forced drop) surfaces as a pool
    // 'error' event; unheard, it would crash the process. The pool discards that connection and the
    // next query opens a fresh one.
    pool.on('error', (error) => options.onIdleConnectionError?.(error));
    // A connection dropped while checked out (between a transaction's queries) emits 'error' on
    // its client instead, where nothing listens: that too would crash the process. Its next query
    // fails and says why, and the pool discards the connection when it comes back.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', readAside: readOnConnection, close: () => db.destroy() };
  }
  const sqlite = openSqliteFile(target.path);
  const shared = options.sharedWriteLock ?? newWriteLockBuffer();
  // The thread that opens the file first (the one that sends and answers webhooks) writes first.
  const lock = new SqliteWriteLock({ shared, isFirst: !options.sharedWriteLock, timeoutMs: BUSY_TIMEOUT_MS });
  const preparing = withStatementCache(sqlite);
  const dialect = new LockingSqliteDialect(
    { database: preparing },
    { lock, isWrite: (sql) => WRITE_STATEMENT.test(sql), inTransaction: () => sqlite.inTransaction },
  );
  const db = new Kysely<DB>({ dialect });
  registerSqliteConnection(db, preparing);
  const checkpointer =
    options.onCheckpointError && target.path !== ':memory:'
      ? startSqliteCheckpointer(target.path, options.onCheckpointError)
      : undefined;
  const background = options.readsAside && target.path !== ':memory:' ? readInBackground(target.path) : undefined;
  const close = async () => {
    await background?.stop();
    await checkpointer?.stop();
    await db.destroy();
  };
  const readAside = background?.read ?? readOnConnection;
  return { db, dialect: 'sqlite', sqlite, sqliteWriteLock: { shared, lock }, readAside, close };
}

const BUSY_TIMEOUT_MS = 5_000;
// Statements outside a transaction that take the write lock; a write missed here still waits
// safely in SQLite's busy handler.
const WRITE_STATEMENT = /^\s*(insert|update|delete|replace|with)\b/i;

/**
 * Runs work that writes through the raw SQLite handle (hot paths with prepared statements):
 * holding Kysely's only connection keeps this process's other queries out of its transaction, and
 * the write lock keeps the process's other writing threads waiting without sleeping.
 */
export function writingOnSqlite<T>(database: Database, work: () => Promise<T>): Promise<T> {
  const lock = database.sqliteWriteLock?.lock;
  return database.db.connection().execute(() => (lock ? lock.holding(work) : work()));
}

function openSqliteFile(file: string): SQLite.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last commits.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('cache_size = -8192');
  // Hot outbox pages are rewritten several times a second; a longer WAL copies each once per
  // checkpoint. A server checkpoints from a background thread, well before this backstop.
  sqlite.pragma('wal_autocheckpoint = 10000');
  return sqlite;
}

// Kysely prepares every query anew; parsing the same SQL again and again would be a fifth of the
// dispatcher's CPU, so statements are kept (least recently used out) and reused when idle.
const STATEMENT_CACHE_SIZE = 256;
const STATEMENT_CACHE_MAX_SQL = 4_096;

// A transaction takes the write lock when it begins, not at its first write: a deferred one that
// read first could then fail at once (SQLITE_BUSY_SNAPSHOT, no busy wait) whenever another
// connection wrote in between, and the webhook drain writes from a thread of its own.
const BEGIN_WRITE_TRANSACTION = 'begin immediate';
const NOTHING_TO_ROLL_BACK = 'select 0 where 0';

/** The SQLite handle as Kysely sees it, preparing each distinct SQL text once. */
function withStatementCache(sqlite: SQLite.Database): { prepare(sql: string): SQLite.Statement; close(): void } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text) {
      // SQLite rolls a transaction back by itself on some errors (a full disk, an I/O error); the
      // driver's ROLLBACK after it would then fail ("no transaction is active") and hide the
      // error that matters, so it does nothing instead.
      if (text === 'rollback' && !sqlite.inTransaction) return sqlite.prepare(NOTHING_TO_ROLL_BACK);
      const source = text === 'begin' ? BEGIN_WRITE_TRANSACTION : text;
      const cached = cache.get(source);
      // A statement still being iterated (a streamed query) cannot run twice at once.
      if (cached !== undefined && !cached.busy) {
        cache.delete(source);
        cache.set(source, cached);
        return cached;
      }
      const statement = sqlite.prepare(source);
      // Long multi-row statements vary in length with every batch and hold large programs: not kept.
      if (source.length > STATEMENT_CACHE_MAX_SQL) return statement;
      cache.set(source, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}
