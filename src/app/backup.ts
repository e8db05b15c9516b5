import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseTarget } from '../config.ts';
import { AppError } from '../domain/errors.ts';
import { openDatabase } from '../store/db.ts';
import { KNOWN_MIGRATIONS, migrateToLatest } from '../store/migrate.ts';
import { listSenders } from '../store/senders-repo.ts';
import {
  assertNotInUse,
  BackupRefusal,
  backupSqliteFile,
  inspectSqliteBackup,
  type RecordedErasures,
  readRecordedErasures,
  replaceSqliteFile,
} from '../store/sqlite-backup.ts';
import { type CarriedErasures, carryErasuresOver } from './restore-erasures.ts';

const NO_ERASURES: RecordedErasures = { salt: null, hashed: [], plain: [] };

/** How to back up and restore a PostgreSQL database, which `chorus backup` leaves to PostgreSQL's own tools. */
export const POSTGRES_BACKUP_GUIDANCE = [
  'PostgreSQL is backed up with its own tools, consistent while Chorus runs:',
  '  pg_dump --format=custom --file=chorus.dump "$DATABASE_URL"',
  'and restored into an empty database with Chorus stopped:',
  '  pg_restore --no-owner --dbname="$DATABASE_URL" chorus.dump',
  'See docs/data-rights.md.',
];

/** What `chorus backup` wrote. */
export interface BackupReport {
  file: string;
  bytes: number;
  migrations: number;
  took_ms: number;
}

/** What `chorus restore` did. */
export interface RestoreReport {
  restored: string;
  from: string;
  /** Where the database it replaced was kept, or null when there was none. */
  previous_kept_as: string | null;
  migrations_applied: string[];
  /** Senders whose credentials are sealed with the key of the Chorus that wrote the backup. */
  sealed_senders: number;
  /** Erasures the replaced database recorded since the backup, applied to the restored one. */
  erasures: CarriedErasures;
}

function sqlitePath(target: DatabaseTarget, command: 'backup' | 'restore'): string {
  if (target.kind === 'postgres') {
    const tool = command === 'backup' ? 'pg_dump' : 'pg_restore';
    throw new AppError(
      'validation_failed',
      `chorus ${command} is for the embedded SQLite database; DATABASE_URL is PostgreSQL: use ${tool} (docs/data-rights.md)`,
      { field: 'DATABASE_URL' },
    );
  }
  if (target.path === ':memory:')
    throw new AppError('validation_failed', `an in-memory database has nothing to ${command}`, {
      field: 'DATABASE_URL',
    });
  return path.resolve(target.path);
}

function refused(error: unknown, field: string): never {
  if (error instanceof BackupRefusal) throw new AppError('validation_failed', error.message, { field, cause: error });
  throw error;
}

/**
 * Writes a consistent copy of the SQLite database to `file` while the server runs (docs/data-rights.md).
 * An existing file is replaced only with `force`.
 */
export async function backupDatabase(
  target: DatabaseTarget,
  file: string,
  options: { force: boolean },
  clock: () => number,
): Promise<BackupReport> {
  const source = sqlitePath(target, 'backup');
  const destination = path.resolve(file);
  if (destination === source)
    throw new AppError('validation_failed', 'the backup file cannot be the database itself', { field: 'file' });
  if (!fs.existsSync(source)) throw new AppError('not_found', `no database at ${source}`, { field: 'DATABASE_URL' });
  if (fs.existsSync(destination) && !options.force)
    throw new AppError('conflict', `${file} exists: pass --force to replace it`, { field: 'file' });
  const startedAt = clock();
  const facts = await backupSqliteFile(source, destination).catch((error: unknown) => refused(error, 'file'));
  return { file: destination, bytes: facts.bytes, migrations: facts.migrations.length, took_ms: clock() - startedAt };
}

/**
 * Puts a backup in place of the configured SQLite database, then migrates it. An existing
 * database is replaced only with `force`, only when no process has it open, and is kept beside
 * it; the people it had erased since the backup are erased again in the restored one.
 */
export async function restoreDatabase(
  target: DatabaseTarget,
  file: string,
  options: { force: boolean },
  clock: () => number,
): Promise<RestoreReport> {
  const destination = sqlitePath(target, 'restore');
  const backup = path.resolve(file);
  checkBackup(backup, file);
  if (fs.existsSync(destination)) makeRoom(destination, file, options.force);
  const keptAs = replaceSqliteFile(backup, destination, new Date(clock()));
  const database = openDatabase({ kind: 'sqlite', path: destination });
  try {
    const applied = await migrateToLatest(database);
    const sealed = (await listSenders(database.db)).filter((s) => s.accessTokenSealed !== null).length;
    const earlier = keptAs === undefined ? NO_ERASURES : readRecordedErasures(keptAs);
    return {
      restored: destination,
      from: backup,
      previous_kept_as: keptAs ?? null,
      migrations_applied: applied,
      sealed_senders: sealed,
      erasures: await carryErasuresOver(database.db, earlier, clock),
    };
  } finally {
    await database.close();
  }
}

/** Refuses a file that is damaged, is not a Chorus database, or comes from a newer Chorus. */
function checkBackup(backup: string, file: string): void {
  let migrations: string[];
  try {
    migrations = inspectSqliteBackup(backup).migrations;
  } catch (error) {
    refused(error, 'file');
  }
  const unknown = migrations.filter((name) => !KNOWN_MIGRATIONS.includes(name));
  if (unknown.length > 0) {
    const reason = `${file} was written by a newer Chorus (migration ${unknown.join(', ')}): upgrade Chorus first`;
    throw new AppError('validation_failed', reason, { field: 'file' });
  }
}

/** An existing database is replaced only when asked to, and never while a process has it open. */
function makeRoom(destination: string, file: string, force: boolean): void {
  if (!force) {
    const reason = `${destination} exists: stop Chorus, then run chorus restore ${file} --force (the current database is kept beside it)`;
    throw new AppError('conflict', reason, { field: 'DATABASE_URL' });
  }
  try {
    assertNotInUse(destination);
  } catch (error) {
    refused(error, 'DATABASE_URL');
  }
}
