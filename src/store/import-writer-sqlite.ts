import type SQLite from 'better-sqlite3';
import { CONSENT_CHANNEL } from '../domain/consent.ts';
import { type Database, writingOnSqlite } from './db.ts';
import {
  ERASURE_STATE_SQL,
  type ExistingRow,
  type FactRow,
  findErasedAmong,
  IMPORT_SQL,
  type ImportTx,
  type ImportWriter,
  toExistingMap,
  toFactMap,
} from './import-writer.ts';
import { prepareChunkedInsert } from './sqlite-chunked-insert.ts';

// better-sqlite3 binds a prepared statement in about a microsecond; Kysely prepares every query
// anew, and a multi-row VALUES as long as the batch costs more to compile than it saves. So the
// import's statements are prepared once and reused: single-row for contacts (their ids are
// needed one by one), fixed-length multi-row for tags and ledger rows.

/** The SQLite import writer: prepared statements on the raw handle (see writingOnSqlite). */
export function createSqliteImportWriter(database: Database, sqlite: SQLite.Database): ImportWriter {
  const tx = sqliteTx(sqlite);
  return {
    transaction: (work) =>
      writingOnSqlite(database, () => withImportPragmas(sqlite, () => inTransaction(sqlite, () => work(tx)))),
    // SQLite plans without table statistics unless asked to gather them; none are kept.
    finish: async () => undefined,
  };
}

async function inTransaction<T>(sqlite: SQLite.Database, work: () => Promise<T>): Promise<T> {
  sqlite.exec('BEGIN IMMEDIATE');
  try {
    const result = await work();
    sqlite.exec('COMMIT');
    return result;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw error;
  }
}

// A transaction of an import dirties pages all over the unique phone index when its phones come
// in no order; a cache that keeps them until the commit writes each once, where the server's
// 8 MB (db.ts) would spill them to the WAL again and again. 32 MB keeps a million-row import's
// peak RSS near 235 MB, under the 256 MB it may use.
const IMPORT_CACHE_KIB = 32 * 1024;

// Every contact_id a batch writes was inserted or read in the same transaction, under the write
// lock, so the foreign-key lookup per tag and ledger row (a sixth of the write time) can only
// ever succeed. Each multi-row insert keeps a statement journal of the pages it changes, a
// temporary file by default: in memory, a million rows wrote 300 MB less (2-3 % faster); the
// import's statements are small, and the server's large sorts keep spilling to disk. Pragmas
// cannot change inside a transaction, hence around it; all three are restored.
async function withImportPragmas<T>(sqlite: SQLite.Database, work: () => Promise<T>): Promise<T> {
  const isEnforced = sqlite.pragma('foreign_keys', { simple: true }) === 1;
  const cacheSize = Number(sqlite.pragma('cache_size', { simple: true }));
  const tempStore = Number(sqlite.pragma('temp_store', { simple: true }));
  if (isEnforced) sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  sqlite.pragma('temp_store = MEMORY');
  try {
    return await work();
  } finally {
    if (isEnforced) sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`cache_size = ${cacheSize}`);
    sqlite.pragma(`temp_store = ${tempStore}`);
  }
}

function sqliteTx(sqlite: SQLite.Database): ImportTx {
  const existing = sqlite.prepare<[string], ExistingRow>(
    `SELECT ${IMPORT_SQL.existingColumns} FROM contacts WHERE phone IN (SELECT value FROM json_each(?))`,
  );
  const facts = sqlite.prepare<[string], FactRow>(
    'SELECT contact_id, action, purpose, occurred_at FROM consent_events WHERE contact_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  );
  // BEGIN IMMEDIATE holds the write lock for the whole batch, so "new" stays new: a plain INSERT
  // (no conflict clause, no RETURNING) is enough for the upsert's rows, and cheaper.
  const insert = sqlite.prepare(`${IMPORT_SQL.upsertHead} VALUES (?,?,?,?,?,?,?,?,?,?)`);
  const insertNew = sqlite.prepare(`${IMPORT_SQL.upsertHead} VALUES (?,?,?,?,?,?,?,?,?,?) ${IMPORT_SQL.insertNewTail}`);
  const update = sqlite.prepare(`UPDATE contacts SET first_name = COALESCE(?, first_name),
    last_name = COALESCE(?, last_name), language = COALESCE(?, language), attributes = ?,
    marketing_consent_at = ?, utility_consent_at = ?, updated_at = ?, last_import_id = ? WHERE id = ?`);
  const insertTags = prepareChunkedInsert(
    sqlite,
    'INSERT INTO contact_tags (contact_id, tag)',
    2,
    'ON CONFLICT DO NOTHING',
  );
  const insertEvents = prepareChunkedInsert(sqlite, IMPORT_SQL.eventHead, 8);
  const erasureState = sqlite.prepare<[], { salt: string; any_erased: number }>(ERASURE_STATE_SQL);
  const erasedHashes = sqlite.prepare<[string], { phone_hash: string }>(
    'SELECT phone_hash FROM erased_numbers WHERE phone_hash IN (SELECT value FROM json_each(?))',
  );
  return {
    findErasedPhones: (phones) =>
      findErasedAmong(phones, erasureState.get(), async (hashes) => erasedHashes.all(JSON.stringify(hashes))),
    findContactsByPhones: async (phones) => toExistingMap(existing.all(JSON.stringify(phones))),
    findConsentFacts: async (ids) => toFactMap(ids.length === 0 ? [] : facts.all(JSON.stringify(ids))),
    async insertNewContacts(contacts) {
      const ids = new Map<string, number>();
      for (const c of contacts) {
        // Arguments written out: a spread array per row was garbage a million times over.
        const { changes, lastInsertRowid } = insertNew.run(
          c.phone,
          c.firstName,
          c.lastName,
          c.language,
          c.attributesJson,
          c.marketingAt,
          c.utilityAt,
          c.now,
          c.now,
          c.importId,
        );
        if (changes === 1) ids.set(c.phone, Number(lastInsertRowid));
      }
      return ids;
    },
    async upsertContacts(contacts) {
      const ids = new Map<string, number>();
      for (const c of contacts) {
        const names = [c.firstName, c.lastName, c.language, c.attributesJson, c.marketingAt, c.utilityAt] as const;
        if (c.existingId !== null) {
          update.run(...names, c.now, c.importId, c.existingId);
          ids.set(c.phone, c.existingId);
        } else {
          const { lastInsertRowid } = insert.run(c.phone, ...names, c.now, c.now, c.importId);
          ids.set(c.phone, Number(lastInsertRowid));
        }
      }
      return ids;
    },
    async addContactTags(tags) {
      const values: unknown[] = [];
      for (const t of tags) values.push(t.contactId, t.tag);
      insertTags(values);
    },
    async appendConsentEvents(events) {
      const values: unknown[] = [];
      for (const e of events) {
        values.push(
          e.contactId,
          e.action,
          e.purpose,
          CONSENT_CHANNEL,
          e.source,
          e.occurredAt,
          e.recordedAt,
          e.proofJson,
        );
      }
      insertEvents(values);
    },
  };
}
