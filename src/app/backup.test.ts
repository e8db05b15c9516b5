import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../config.ts';
import { openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { backupDatabase, restoreDatabase } from './backup.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-unit-'));
const clock = () => Date.parse('2026-03-01T12:00:00Z');
const live: DatabaseTarget = { kind: 'sqlite', path: path.join(dir, 'live.db') };
const backupFile = path.join(dir, 'backup.db');

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
      .values({ phone: '+4915112345678', attributes: '{}', created_at: 1, updated_at: 1 })
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
