import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import { type Database, openDatabase } from './db.ts';
import { type MigrationName, migrateTo, migrateToLatest } from './migrate.ts';

/** The PostgreSQL server the test suites use; CI and this machine run one on loopback. */
export const TEST_POSTGRES_ADMIN_URL = process.env.CHORUS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A migrated throw-away database and the function that removes it. */
export interface TestDatabase {
  database: Database;
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/** The backends every store and dispatch suite runs against. */
export const TEST_BACKENDS = ['sqlite', 'postgres'] as const;

/**
 * Creates an empty, migrated database: SQLite in memory, or a fresh PostgreSQL database. Migrated
 * to the latest version, or only `through` the named one (a later migration's test).
 */
export async function createTestDatabase(
  kind: (typeof TEST_BACKENDS)[number],
  through?: MigrationName,
): Promise<TestDatabase> {
  const target = kind === 'sqlite' ? ({ kind, path: ':memory:' } as const) : await createPostgresDatabase();
  const database = openDatabase(target);
  await (through === undefined ? migrateToLatest(database) : migrateTo(database, through));
  return {
    database,
    target,
    async drop() {
      await database.close();
      if (target.kind === 'postgres') await dropPostgresDatabase(target.url);
    },
  };
}

/** Creates a uniquely named PostgreSQL database and returns its target. */
export async function createPostgresDatabase(): Promise<DatabaseTarget & { kind: 'postgres' }> {
  const name = `chorus_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { kind: 'postgres', url: url.toString() };
}

/** Drops a database made by createPostgresDatabase, even with connections still open. */
export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
