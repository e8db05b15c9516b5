// The database: reachable, every migration applied, the SQLite file sound, its write-ahead log
// not piling up, and room on the disk it lives on.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { DatabaseTarget } from '../config.ts';
import { coerceError } from '../domain/errors.ts';
import type { Database } from '../store/db.ts';
import { findSqliteProblems } from '../store/health-repo.ts';
import { readMigrationState } from '../store/migrate.ts';
import { type CheckResult, fail, ok, skip, warn } from './check.ts';

const MB = 1024 * 1024;
// A WAL this big means checkpoints cannot keep up (a reader held open for long, or no server running).
const WAL_WARN_BYTES = 512 * MB;
// SQLite needs room for its WAL and for the temporary copies a VACUUM or big write makes.
const DISK_FAIL_BYTES = 256 * MB;
const DISK_FAIL_FRACTION = 0.02;
const DISK_WARN_BYTES = 2_048 * MB;
const DISK_WARN_FRACTION = 0.1;

/** Where the database is, for people: the SQLite path, or the PostgreSQL URL without its password. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.kind === 'sqlite') return `SQLite ${target.path}`;
  const url = new URL(target.url);
  if (url.password !== '') url.password = '***';
  return `PostgreSQL ${url.toString()}`;
}

/** Whether a SQLite target's file exists (the doctor never creates one). */
export function isMissingSqliteFile(target: DatabaseTarget): boolean {
  return target.kind === 'sqlite' && target.path !== ':memory:' && !fs.existsSync(target.path);
}

/** Reachable, migrations, and for SQLite its integrity and WAL size. */
export async function checkDatabase(database: Database, target: DatabaseTarget): Promise<CheckResult[]> {
  const where = describeTarget(target);
  try {
    await sql`select 1`.execute(database.db);
  } catch (error) {
    return [
      fail('database', `cannot reach ${where}: ${coerceError(error).message}`, 'check DATABASE_URL and that it runs'),
    ];
  }
  const results = [ok('database', `${where} answers`), await checkMigrations(database)];
  if (target.kind === 'sqlite') results.push(checkIntegrity(database), checkWal(target.path));
  return results;
}

async function checkMigrations(database: Database): Promise<CheckResult> {
  const { applied, pending, unknown } = await readMigrationState(database);
  if (unknown.length > 0)
    return fail(
      'migrations',
      `the database was migrated by a newer Chorus (${unknown.join(', ')})`,
      'run the Chorus version that migrated it, or a newer one',
    );
  if (pending.length > 0)
    return fail(
      'migrations',
      `${pending.length} of ${applied.length + pending.length} not applied (${pending.join(', ')})`,
      '`chorus start` applies them at start; run it once',
    );
  return ok('migrations', `all ${applied.length} applied`);
}

function checkIntegrity(database: Database): CheckResult {
  const problems = findSqliteProblems(database);
  if (problems.length === 0) return ok('integrity', 'SQLite quick_check: ok');
  return fail(
    'integrity',
    `SQLite quick_check found ${problems.length} problem(s): ${problems.slice(0, 3).join('; ')}`,
    'stop Chorus, keep a copy of the file, and restore the last backup (docs/observability.md)',
  );
}

function checkWal(file: string): CheckResult {
  if (file === ':memory:') return skip('wal', 'in-memory database');
  const walBytes = fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
  const size = `${(walBytes / MB).toFixed(1)} MB`;
  if (walBytes < WAL_WARN_BYTES) return ok('wal', `write-ahead log ${size}`);
  return warn(
    'wal',
    `write-ahead log ${size}: checkpoints are not keeping up`,
    'a running `chorus start` checkpoints it; look for a long-lived reader (a backup, a SQL shell) holding it open',
  );
}

/** Free space on the disk that holds the SQLite file. */
export async function checkDisk(target: DatabaseTarget): Promise<CheckResult> {
  if (target.kind !== 'sqlite' || target.path === ':memory:')
    return skip('disk', "PostgreSQL's disk is its server's: watch it there");
  // The folder may not exist yet (no database made): the nearest one that does holds the disk.
  let dir = path.dirname(path.resolve(target.path));
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const stats = await fs.promises.statfs(dir);
  return judgeFreeSpace(dir, stats.bavail * stats.bsize, stats.blocks * stats.bsize);
}

/** Judges free space: fail below 256 MB or 2 %, warn below 2 GB or 10 %. */
export function judgeFreeSpace(dir: string, freeBytes: number, totalBytes: number): CheckResult {
  const fraction = totalBytes > 0 ? freeBytes / totalBytes : 0;
  const message = `${(freeBytes / MB / 1024).toFixed(1)} GB free of ${(totalBytes / MB / 1024).toFixed(1)} GB (${(fraction * 100).toFixed(0)} %) at ${dir}`;
  const fix =
    'free space, or move the database to a bigger disk: on a full disk no import, send or webhook can be stored';
  if (freeBytes < DISK_FAIL_BYTES || fraction < DISK_FAIL_FRACTION) return fail('disk', message, fix);
  if (freeBytes < DISK_WARN_BYTES || fraction < DISK_WARN_FRACTION) return warn('disk', message, fix);
  return ok('disk', message);
}
