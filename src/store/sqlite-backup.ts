// Backups of the embedded SQLite database: SQLite's online backup API copies a consistent
// snapshot while the server writes (in WAL mode readers never block writers), and a restore puts
// a checked copy in place of a file no process has open.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/** What a backup file holds, read from the file itself. */
export interface BackupFacts {
  bytes: number;
  /** The migrations applied to it, oldest first (Kysely's own table). */
  migrations: string[];
}

/** Why a file cannot be restored, or why a database cannot be replaced: a sentence for people. */
export class BackupRefusal extends Error {
  override name = 'BackupRefusal';
}

/**
 * Copies a live SQLite database to `destination` as one self-contained file (mode 0600: it holds
 * personal data). The copy is written beside the destination and renamed into place only once
 * complete and checked, so a failed backup never leaves a half-written file under the name asked for.
 */
export async function backupSqliteFile(source: string, destination: string): Promise<BackupFacts> {
  const partial = `${destination}.partial-${process.pid}`;
  const database = new SQLite(source, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 5000');
    // One step copies every page under one read transaction: a snapshot of a single instant,
    // where small steps would restart each time the server writes.
    await database.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    database.close();
  }
  try {
    fs.chmodSync(partial, 0o600);
    const copy = new SQLite(partial, { fileMustExist: true });
    try {
      // One file to keep and move, with no -wal beside it.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const facts = inspectSqliteBackup(partial);
    syncFile(partial);
    fs.renameSync(partial, destination);
    return facts;
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
}

/** Checks a backup file (integrity, and that it is a Chorus database) and says what it holds. */
export function inspectSqliteBackup(file: string): BackupFacts {
  if (!fs.existsSync(file)) throw new BackupRefusal(`no such file: ${file}`);
  let database: SQLite.Database;
  try {
    database = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupRefusal(`${file} is not a SQLite database: ${(error as Error).message}`);
  }
  try {
    const check = database.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupRefusal(`${file} is damaged: ${String(check)}`);
    const hasMigrations = database
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kysely_migration'")
      .get();
    if (!hasMigrations) throw new BackupRefusal(`${file} is not a Chorus database (it has no migrations table)`);
    const rows = database.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[];
    return { bytes: fs.statSync(file).size, migrations: rows.map((r) => r.name) };
  } catch (error) {
    if (error instanceof BackupRefusal) throw error;
    throw new BackupRefusal(`${file} cannot be read as a Chorus database: ${(error as Error).message}`);
  } finally {
    database.close();
  }
}

/**
 * Makes sure no process has the database open: an exclusive lock is refused while any other
 * connection (a running server, even an idle one) holds it. Then folds its WAL into the file.
 */
export function assertNotInUse(file: string): void {
  const database = new SQLite(file, { fileMustExist: true });
  try {
    database.pragma('busy_timeout = 0');
    database.pragma('locking_mode = EXCLUSIVE');
    try {
      database.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch {
      throw new BackupRefusal(`${file} is in use (a running Chorus?): stop every process that uses it, then restore`);
    }
    database.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    database.close();
  }
}

/**
 * Puts a copy of `backup` at `target`. An existing target (checked unused by the caller) is kept
 * beside it as `<target>.before-restore-<time>`, with any -wal and -shm of its own, which must
 * never meet the restored file. Answers where the old file went, if there was one.
 */
export function replaceSqliteFile(backup: string, target: string, now: Date): string | undefined {
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const incoming = `${target}.restoring-${process.pid}`;
  fs.copyFileSync(backup, incoming);
  fs.chmodSync(incoming, 0o600);
  syncFile(incoming);
  let keptAs: string | undefined;
  if (fs.existsSync(target)) {
    keptAs = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, keptAs + suffix);
    }
  }
  fs.renameSync(incoming, target);
  return keptAs;
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The erasures a database file records: hashes with its salt, or, from before hashing, numbers erased in plain. */
export interface RecordedErasures {
  salt: string | null;
  hashed: { phone_hash: string; erased_at: number; requested_by: string }[];
  plain: { phone: string; erased_at: number; requested_by: string }[];
}

/** Reads the erasures recorded in a database file (one a restore replaced), whatever its version. */
export function readRecordedErasures(file: string): RecordedErasures {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const hasTable = (name: string) =>
      database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    const isHashed = hasTable('erasure_salt');
    const erasures: RecordedErasures = { salt: null, hashed: [], plain: [] };
    if (isHashed) {
      erasures.salt = (database.prepare('SELECT salt FROM erasure_salt WHERE id = 1').get() as { salt: string }).salt;
      erasures.hashed = database
        .prepare('SELECT phone_hash, erased_at, requested_by FROM erased_numbers')
        .all() as RecordedErasures['hashed'];
    } else if (hasTable('suppressions')) {
      erasures.plain = database
        .prepare(
          "SELECT phone, created_at AS erased_at, source AS requested_by FROM suppressions WHERE reason = 'erased'",
        )
        .all() as RecordedErasures['plain'];
    }
    return erasures;
  } finally {
    database.close();
  }
}
