import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { type Database, openDatabase } from './db.ts';

let dir = '';
let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a server’s SQLite file is checkpointed from a background thread, not inside a commit', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-checkpoint-'));
  const file = path.join(dir, 'chorus.db');
  const errors: string[] = [];
  database = openDatabase({ kind: 'sqlite', path: file }, { onCheckpointError: (m) => errors.push(m) });
  await sql`create table blobs (id integer primary key, body text not null)`.execute(database.db);
  const body = 'x'.repeat(4_000);
  for (let i = 0; i < 500; i += 1) await sql`insert into blobs (body) values (${body})`.execute(database.db);
  // 2 MB is far below the connection's own auto-checkpoint (10,000 pages): only the thread moves it.
  await expect.poll(() => fs.statSync(file).size, { timeout: 5_000 }).toBeGreaterThan(2_000_000);
  expect(errors).toEqual([]);
});
