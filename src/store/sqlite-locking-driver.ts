// Kysely's SQLite driver with the process's write lock (sqlite-write-lock.ts) taken around every
// transaction and every write outside one. A thread that only reads never waits for it.
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type SqliteDialectConfig,
  type TransactionSettings,
} from 'kysely';
import type { SqliteWriteLock } from './sqlite-write-lock.ts';

/** What the driver asks of the connection's SQLite handle. */
export interface LockedSqlite {
  lock: SqliteWriteLock;
  /** Whether a statement may write (SQLite's own answer). */
  isWrite(sql: string): boolean;
  inTransaction(): boolean;
}

/** SqliteDialect whose driver takes the write lock first. */
export class LockingSqliteDialect extends SqliteDialect {
  readonly #locked: LockedSqlite;

  constructor(config: SqliteDialectConfig, locked: LockedSqlite) {
    super(config);
    this.#locked = locked;
  }

  override createDriver(): Driver {
    return new LockingDriver(super.createDriver(), this.#locked);
  }
}

class LockingDriver implements Driver {
  readonly #inner: Driver;
  readonly #locked: LockedSqlite;
  #connection: DatabaseConnection | undefined;
  #isHeld = false;

  constructor(inner: Driver, locked: LockedSqlite) {
    this.#inner = inner;
    this.#locked = locked;
  }

  init(): Promise<void> {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    this.#connection ??= {
      executeQuery: <R>(query: CompiledQuery) => this.#execute<R>(inner, query),
      streamQuery: (query, chunkSize) => inner.streamQuery(query, chunkSize),
    };
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.#take();
    try {
      await this.#inner.beginTransaction(connection, settings);
    } catch (error) {
      this.#give();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#inner.commitTransaction(connection);
    this.#give();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.#inner.rollbackTransaction(connection);
    } finally {
      this.#give();
    }
  }

  savepoint: Driver['savepoint'] = (...args) => this.#inner.savepoint?.(...args) ?? Promise.resolve();
  rollbackToSavepoint: Driver['rollbackToSavepoint'] = (...args) =>
    this.#inner.rollbackToSavepoint?.(...args) ?? Promise.resolve();
  releaseSavepoint: Driver['releaseSavepoint'] = (...args) =>
    this.#inner.releaseSavepoint?.(...args) ?? Promise.resolve();

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.#inner.destroy();
  }

  async #execute<R>(inner: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#isHeld || this.#locked.inTransaction() || !this.#locked.isWrite(query.sql))
      return inner.executeQuery<R>(query);
    await this.#take();
    try {
      return await inner.executeQuery<R>(query);
    } finally {
      this.#give();
    }
  }

  async #take(): Promise<void> {
    this.#isHeld = await this.#locked.lock.acquire();
  }

  #give(): void {
    if (this.#isHeld) this.#locked.lock.release();
    this.#isHeld = false;
  }
}
