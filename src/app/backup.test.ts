import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import type { DB } from '../store/schema.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';
import { recordOptIn } from './consent.ts';
import { erasePerson } from './erase-person.ts';
import { exportPerson } from './export-person.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-unit-'));
const clock = () => Date.parse('2026-03-01T12:00:00Z');
const live: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'live.db') };
const backupFile = path.join(dir, 'backup.db');

const PHONE = '+4915112345678';

/** Runs work on a database file, migrated, and closes it. */
async function withTarget<T>(target: DatabaseTarget, work: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const database = openDatabase(target);
  try {
    await migrateToLatest(database);
    return await work(database.db);
  } finally {
    await database.close();
  }
}

const countContacts = (file: string) => {
  const database = new SQLite(file, { readonly: true });
  try {
    return (database.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n;
  } finally {
    database.close();
  }
};

describe('chorus backup and restore (SQLite files)', () => {
  beforeAll(async () => {
    const database = openDatabase(live);
    await migrateToLatest(database);
    await database.db
      .insertInto('contacts')
      .values({ phone: PHONE, attributes: '{}', created_at: 1, updated_at: 1 })
      .execute();
    await database.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one self-contained file, and refuses to overwrite it unless forced', async () => {
    const report = await backupDatabase(live, backupFile, { force: false }, clock);
    expect(report).toMatchObject({ file: backupFile, migrations: expect.any(Number) });
    expect(fs.existsSync(`${backupFile}-wal`)).toBe(false);
    expect(countContacts(backupFile)).toBe(1);
    await expect(backupDatabase(live, backupFile, { force: false }, clock)).rejects.toMatchObject({
      code: 'conflict',
      field: 'file',
    });
    await expect(backupDatabase(live, backupFile, { force: true }, clock)).resolves.toMatchObject({ file: backupFile });
  });

  it('restores into a new place, and over an existing database only when forced and unused', async () => {
    const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'restored', 'chorus.db') };
    expect(await restoreDatabase(target, backupFile, { force: false }, clock)).toMatchObject({
      previous_kept_as: null,
      migrations_applied: [],
    });
    await expect(restoreDatabase(target, backupFile, { force: false }, clock)).rejects.toMatchObject({
      code: 'conflict',
      field: 'DATABASE_URL',
    });
    // A server holds its database open, idle or not: one read is enough to hold it.
    const holder = new SQLite(target.path);
    holder.prepare('SELECT count(*) FROM contacts').get();
    try {
      await expect(restoreDatabase(target, backupFile, { force: true }, clock)).rejects.toMatchObject({
        code: 'validation_failed',
        message: expect.stringContaining('is in use'),
      });
    } finally {
      holder.close();
    }
    const forced = await restoreDatabase(target, backupFile, { force: true }, clock);
    expect(forced.previous_kept_as).toBe(`${target.path}.before-restore-2026-03-01T12-00-00-000Z`);
    expect(countContacts(target.path)).toBe(1);
    expect(countContacts(forced.previous_kept_as as string)).toBe(1);
  });

  it('erases again, in the restored database, the people erased since the backup', async () => {
    const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'erasing', 'chorus.db') };
    await restoreDatabase(target, backupFile, { force: false }, clock);
    await withTarget(target, (db) => erasePerson(db, PHONE, { requestedBy: 'dpo' }, clock));
    const report = await restoreDatabase(target, backupFile, { force: true }, clock);
    expect(report.erasures).toEqual({ erasures_carried: 1, people_erased_again: 1, erasures_not_carried: 0 });
    expect(countContacts(target.path)).toBe(0);
    const exported = await withTarget(target, (db) => exportPerson(db, PHONE, clock));
    expect(exported).toMatchObject({ contact: null, erasure: { requested_by: 'dpo' } });
  });

  it('from another installation (another salt), erases again those it holds and counts the others', async () => {
    const otherLive: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'other-live.db') };
    await withTarget(otherLive, (db) => recordOptIn(db, PHONE, { source: 'form' }, clock));
    const otherBackup = path.join(dir, 'other-backup.db');
    await backupDatabase(otherLive, otherBackup, { force: false }, clock);
    const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'elsewhere', 'chorus.db') };
    await restoreDatabase(target, backupFile, { force: false }, clock);
    await withTarget(target, async (db) => {
      await erasePerson(db, PHONE, { requestedBy: 'dpo' }, clock);
      await erasePerson(db, '+4915199990000', { requestedBy: 'dpo' }, clock);
    });
    const report = await restoreDatabase(target, otherBackup, { force: true }, clock);
    expect(report.erasures).toEqual({ erasures_carried: 0, people_erased_again: 1, erasures_not_carried: 1 });
    expect(countContacts(target.path)).toBe(0);
  });

  it('refuses a damaged file, a file that is not Chorus, and one from a newer Chorus', async () => {
    const target: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'never', 'chorus.db') };
    const garbage = path.join(dir, 'garbage.db');
    fs.writeFileSync(garbage, 'not a database at all, not even close'.repeat(200));
    const other = path.join(dir, 'other.db');
    new SQLite(other).exec('CREATE TABLE t (x)');
    const newer = path.join(dir, 'newer.db');
    fs.copyFileSync(backupFile, newer);
    new SQLite(newer).exec("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999-future', 'x')");
    for (const [file, reason] of [
      [garbage, /is not a SQLite database|cannot be read/],
      [other, /not a Chorus database/],
      [newer, /written by a newer Chorus \(migration 9999-future\)/],
      [path.join(dir, 'missing.db'), /no such file/],
    ] as const) {
      await expect(restoreDatabase(target, file, { force: false }, clock), file).rejects.toMatchObject({
        code: 'validation_failed',
        field: 'file',
        message: expect.stringMatching(reason),
      });
    }
    expect(fs.existsSync(target.path)).toBe(false);
  });

  it('leaves PostgreSQL to pg_dump and pg_restore, with a reason naming them', async () => {
    const postgres: DatabaseTarget = { kind: 'postgres', url: 'postgres://x@127.0.0.1/x' };
    await expect(backupDatabase(postgres, backupFile, { force: true }, clock)).rejects.toMatchObject({
      field: 'DATABASE_URL',
      message: expect.stringContaining('pg_dump'),
    });
    await expect(restoreDatabase(postgres, backupFile, { force: true }, clock)).rejects.toMatchObject({
      message: expect.stringContaining('pg_restore'),
    });
  });
});
