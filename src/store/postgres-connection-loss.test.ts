// A PostgreSQL connection the server drops while Chorus holds it (inside a transaction, between
// two queries) must fail that transaction, not crash the process; the pool then carries on.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './db.ts';
import { storageTroubleOf } from './storage-errors.ts';
import { createPostgresDatabase, dropPostgresDatabase } from './testing.ts';

describe('a PostgreSQL connection dropped while checked out', () => {
  let url = '';
  let database: Database;
  let admin: Database;

  beforeAll(async () => {
    url = (await createPostgresDatabase()).url;
    database = openDatabase({ kind: 'postgres', url });
    admin = openDatabase({ kind: 'postgres', url });
  });
  afterAll(async () => {
    await database?.close();
    await admin?.close();
    if (url) await dropPostgresDatabase(url);
  });

  it('fails the transaction as an unavailable database, and the next query works', async () => {
    const transaction = database.db.transaction().execute(async (tx) => {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
      // As a restart does: the server ends this connection while no query of ours runs on it.
      await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(admin.db);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await sql`select 1`.execute(tx);
    });
    const failure = await transaction.then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(storageTroubleOf(failure)).toBe('unavailable');
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
