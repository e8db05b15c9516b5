import { sql } from 'kysely';
import type { Database } from './db.ts';

/**
 * Runs `work` only if no other process is running work under the same name (PostgreSQL: a session
 * advisory lock on a connection held for the duration, let go by a worker's death too). SQLite has
 * one process: the work just runs. Answers whether it ran.
 */
export async function runExclusively(database: Database, name: string, work: () => Promise<void>): Promise<boolean> {
  if (database.dialect !== 'postgres') {
    await work();
    return true;
  }
  return database.db.connection().execute(async (connection) => {
    const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_lock(hashtext(${name})) as ok`.execute(
      connection,
    );
    if (rows[0]?.ok !== true) return false;
    try {
      await work();
    } finally {
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(connection);
    }
    return true;
  });
}
