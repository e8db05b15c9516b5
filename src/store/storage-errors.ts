// What the database's drivers say when the store itself is in trouble rather than a query being
// wrong: the disk is full, or the database cannot be reached. Callers answer these with 503 (try
// again later) and keep what they hold; anything else is a bug or a bad request.

/** The disk under the database is full, or the database is out of reach. */
export type StorageTrouble = 'full' | 'unavailable';

// SQLite: SQLITE_FULL (better-sqlite3's `code`); the file system: ENOSPC; PostgreSQL: 53100 disk_full.
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', '53100']);
// PostgreSQL: class 08 (connection exception), 57P01–57P03 (admin shutdown, crash shutdown, cannot
// connect now: a restart); the socket: refused, reset, timed out.
const UNAVAILABLE_CODES = new Set([
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);
// node-postgres reports a connection lost mid-query, and a pool that cannot connect in time, by message alone.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
];

/** The storage trouble an error (or any error in its `cause` chain) reports, if any. */
export function storageTroubleOf(thrown: unknown): StorageTrouble | undefined {
  for (let error = thrown, depth = 0; error instanceof Error && depth < 5; depth++) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && FULL_CODES.has(code)) return 'full';
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return 'unavailable';
    if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error instanceof Error ? error.message : ''))) {
      return 'unavailable';
    }
    error = error.cause;
  }
  return undefined;
}
