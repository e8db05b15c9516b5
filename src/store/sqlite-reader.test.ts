import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { seedPendingCampaign } from './campaign-fixtures.testing.ts';
import { type Database, openDatabase } from './db.ts';
import { migrateToLatest } from './migrate.ts';
import { countMessagesByStatus } from './outbox-repo.ts';
import { readInBackground, type SqliteReader, startSqliteReader } from './sqlite-reader.ts';

const NOW = 1_800_000_000_000;
let dir: string;
let database: Database | undefined;

afterEach(async () => {
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  database = undefined;
});

async function fileDatabase(): Promise<{ database: Database; file: string; campaignId: number }> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-reader-'));
  const file = path.join(dir, 'chorus.db');
  database = openDatabase({ kind: 'sqlite', path: file }, { readsAside: true });
  await migrateToLatest(database);
  const campaignId = await seedPendingCampaign(database.db, NOW, { status: 'running', phones: ['+4915100000001'] });
  return { database, file, campaignId };
}

it("reads a campaign's counts aside, on a connection of its own: what is committed, never a write under way", async () => {
  const { database, campaignId } = await fileDatabase();
  const aside = () => countMessagesByStatus(database.db, campaignId, database.readAside);
  expect(await aside()).toEqual({ pending: 1 });
  const sqlite = database.sqlite!;
  sqlite.exec('BEGIN');
  sqlite.prepare("update messages set status = 'accepted'").run();
  // The serving connection sees its own write; the reader, only what is committed.
  expect(await countMessagesByStatus(database.db, campaignId)).toEqual({ accepted: 1 });
  expect(await aside()).toEqual({ pending: 1 });
  sqlite.exec('COMMIT');
  expect(await aside()).toEqual({ accepted: 1 });
});

it('starts a new reader thread when the last one ended, and none once stopped', async () => {
  const { database, file, campaignId } = await fileDatabase();
  const started: SqliteReader[] = [];
  const reads = readInBackground(file, (f) => {
    const reader = startSqliteReader(f);
    started.push(reader);
    return reader;
  });
  const count = () => countMessagesByStatus(database.db, campaignId, reads.read);
  expect(await count()).toEqual({ pending: 1 });
  expect(await count()).toEqual({ pending: 1 });
  expect(started).toHaveLength(1);
  await started[0]?.stop(); // as if the thread had crashed
  expect(started[0]?.hasEnded).toBe(true);
  expect(await count()).toEqual({ pending: 1 });
  expect(started).toHaveLength(2);
  await reads.stop();
  await expect(count()).rejects.toThrow(/stopped/);
  expect(started).toHaveLength(2);
});
