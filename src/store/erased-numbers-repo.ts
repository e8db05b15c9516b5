import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { phoneHasher } from './phone-hash.ts';
import type { DB } from './schema.ts';
import { inChunks } from './sql-batch.ts';

/** An erasure as it is kept: no number, only when and who asked. */
export interface ErasureRecord {
  id: number;
  erasedAt: number;
  requestedBy: string;
}

/** The salt, and whether any number is erased at all: one read, after which most checks are done. */
async function readErasureState(db: Kysely<DB>): Promise<{ hash: (phone: string) => string; isAnyErased: boolean }> {
  const row = await db
    .selectFrom('erasure_salt')
    .select(['salt', (eb) => eb.exists(eb.selectFrom('erased_numbers').select('id')).as('any_erased')])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { hash: phoneHasher(row.salt), isAnyErased: Boolean(Number(row.any_erased)) };
}

/** Which of these phones were erased. The batch is hashed once, and only when some number is erased. */
export async function findErasedPhones(db: Kysely<DB>, phones: readonly string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const { hash, isAnyErased } = await readErasureState(db);
  if (!isAnyErased) return new Set();
  const byHash = new Map(phones.map((phone) => [hash(phone), phone]));
  const erased = new Set<string>();
  for (const chunk of inChunks([...byHash.keys()], 2_000)) {
    const rows = await db.selectFrom('erased_numbers').select('phone_hash').where('phone_hash', 'in', chunk).execute();
    for (const row of rows) erased.add(byHash.get(row.phone_hash) as string);
  }
  return erased;
}

/** Whether this phone was erased. */
export async function isErased(db: Kysely<DB>, phone: string): Promise<boolean> {
  return (await findErasedPhones(db, [phone])).size > 0;
}

/** The erasure record of a phone, or undefined when it was never erased. */
export async function findErasure(db: Kysely<DB>, phone: string): Promise<ErasureRecord | undefined> {
  const { hash } = await readErasureState(db);
  const row = await db
    .selectFrom('erased_numbers')
    .select(['id', 'erased_at', 'requested_by'])
    .where('phone_hash', '=', hash(phone))
    .executeTakeFirst();
  return row && { id: Number(row.id), erasedAt: Number(row.erased_at), requestedBy: row.requested_by };
}

/**
 * Keeps a phone as erased (its hash alone). A number erased before keeps its first record, which
 * is answered with `isRepeat`.
 */
export async function recordErasure(
  db: Kysely<DB>,
  entry: { phone: string; requestedBy: string; now: number },
): Promise<ErasureRecord & { isRepeat: boolean }> {
  const earlier = await findErasure(db, entry.phone);
  if (earlier) return { ...earlier, isRepeat: true };
  const { hash } = await readErasureState(db);
  const row = await db
    .insertInto('erased_numbers')
    .values({ phone_hash: hash(entry.phone), erased_at: entry.now, requested_by: entry.requestedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), erasedAt: entry.now, requestedBy: entry.requestedBy, isRepeat: false };
}

/** How many numbers are erased. */
export async function countErasedNumbers(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('erased_numbers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// One advisory lock (an arbitrary key of Chorus's own) orders erasure against every write that
// may create a contact. PostgreSQL only: SQLite has one writer at a time, and those writes check for erasure under its write lock.
const ERASURE_LOCK_KEY = 4_746_012;

/** Taken by an erasure's transaction: waits for every write that may create a contact to commit. */
export async function lockForErasure(trx: Kysely<DB>): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select pg_advisory_xact_lock(${ERASURE_LOCK_KEY})`.execute(trx);
}

/**
 * Taken (shared) by a transaction that may create a contact, before it checks for erasure: an
 * erasure cannot commit between that check and the write, so a number erased at that very moment
 * is never written back.
 */
export async function lockAgainstErasure(trx: Kysely<DB>): Promise<void> {
  if (trx.getExecutor().adapter instanceof PostgresAdapter)
    await sql`select pg_advisory_xact_lock_shared(${ERASURE_LOCK_KEY})`.execute(trx);
}

/** The database's erasure salt (base64), to tell whether hashes from elsewhere were made with it. */
export async function readErasureSalt(db: Kysely<DB>): Promise<string> {
  const row = await db.selectFrom('erasure_salt').select('salt').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.salt;
}

/** Adds erasure records made elsewhere (hashed with this database's salt); answers the hashes that were new. */
export async function addErasureRecords(
  db: Kysely<DB>,
  records: readonly { phone_hash: string; erased_at: number; requested_by: string }[],
): Promise<Set<string>> {
  const added = new Set<string>();
  for (const record of records) {
    const row = await db
      .insertInto('erased_numbers')
      .values(record)
      .onConflict((oc) => oc.column('phone_hash').doNothing())
      .returning('phone_hash')
      .executeTakeFirst();
    if (row) added.add(row.phone_hash);
  }
  return added;
}

/** Hashes phones with this database's salt. */
export async function hashWithDatabaseSalt(db: Kysely<DB>): Promise<(phone: string) => string> {
  return phoneHasher(await readErasureSalt(db));
}
