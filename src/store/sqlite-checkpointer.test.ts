import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

it('stops cleanly when closing the database is the last thing a process does', () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-checkpoint-'));
  const file = path.join(dir, 'chorus.db');
  const dbModule = new URL('./db.ts', import.meta.url).href;
  // A child with nothing else to keep its event loop alive: it must still wait for the thread.
  const script = `import { openDatabase } from ${JSON.stringify(dbModule)};
const database = openDatabase({ kind: 'sqlite', path: ${JSON.stringify(file)} }, { onCheckpointError: () => {} });
await database.close();
console.log('closed');`;
  const runner = new URL('../../bin/run-ts.mjs', import.meta.url);
  const entry = path.join(dir, 'close.mts');
  fs.writeFileSync(entry, script);
  const result = spawnSync(process.execPath, [fileURLToPath(runner), entry], { encoding: 'utf8' });
  expect(result.stdout.trim()).toBe('closed');
  expect(result.status).toBe(0);
});
