import { type Kysely, sql, type Transaction } from 'kysely';
import {
  countRecipientsSince,
  type RecipientSend,
  type RecipientSendRow,
  recipientSendsUpsert,
} from './recipient-sends-repo.ts';
import type { DB } from './schema.ts';

// On PostgreSQL a sender's per-recipient gap and rolling-24 h cap hold across workers because
// admissions of one sender run one at a time under a transaction-scoped advisory lock, read the
// recipients every worker reserved, and reserve theirs (recipient_sends) before the lock is let go.

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs `work` in a transaction holding the sender's recipient lock (PostgreSQL only). */
export function withRecipientLock<T>(
  db: Kysely<DB>,
  senderId: string,
  work: (tx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('chorus.recipients'), hashtext(${senderId}))`.execute(tx);
    return work(tx);
  });
}

/** What an admission reads under the lock: the sender's 24 h count and these phones' earlier sends. */
export interface Reservations {
  daily: { count: number; oldestAt: number | null };
  known: Map<string, RecipientSend>;
}

/**
 * Reads the sender's unique recipients in the rolling 24 h (recounted from recipient_sends when
 * older than `maxAgeMs`) and the recipient records of `phones`, in one round trip: the lock is
 * held for every round trip of an admission, and every worker of the sender waits on it.
 */
export async function readReservations(
  tx: Transaction<DB>,
  senderId: string,
  phones: string[],
  nowMs: number,
  maxAgeMs: number,
): Promise<Reservations> {
  const { rows } = await sql<{
    day_count: number | null;
    day_counted_at: number | null;
    day_oldest_at: number | null;
    sends: [string, number, number][];
  }>`
    select l.day_count, l.day_counted_at, l.day_oldest_at,
      (select coalesce(json_agg(json_build_array(s.phone, s.window_started_at, s.last_sent_at)), '[]'::json)
         from recipient_sends s
        where s.sender_id = ${senderId} and s.phone = any(${phones}::text[])) as sends
    from (select 1) as one left join sender_rate_limits l on l.sender_id = ${senderId}`.execute(tx);
  const row = rows[0];
  const known = new Map<string, RecipientSend>();
  for (const [phone, windowStartedAt, lastSentAt] of row?.sends ?? [])
    known.set(phone, { windowStartedAt, lastSentAt });
  if (row?.day_count != null && nowMs - Number(row.day_counted_at) < maxAgeMs)
    return {
      daily: { count: row.day_count, oldestAt: row.day_oldest_at === null ? null : Number(row.day_oldest_at) },
      known,
    };
  return { daily: await recountDailyRecipients(tx, senderId, nowMs), known };
}

/** Counts the sender's unique recipients of the rolling 24 h afresh and caches the count. */
async function recountDailyRecipients(
  tx: Transaction<DB>,
  senderId: string,
  nowMs: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const counted = await countRecipientsSince(tx, senderId, nowMs - DAY_MS);
  await tx
    .insertInto('sender_rate_limits')
    .values({ sender_id: senderId, day_count: counted.count, day_counted_at: nowMs, day_oldest_at: counted.oldestAt })
    .onConflict((oc) =>
      oc
        .column('sender_id')
        .doUpdateSet({ day_count: counted.count, day_counted_at: nowMs, day_oldest_at: counted.oldestAt }),
    )
    .execute();
  return counted;
}

/**
 * Reserves the admitted recipients and adds the newly counted ones to the cached 24 h count, in
 * one statement (a claim's rows, well under the 2,000 one statement takes).
 */
export async function reserveRecipients(
  tx: Transaction<DB>,
  senderId: string,
  rows: RecipientSendRow[],
  newlyCounted: number,
): Promise<void> {
  if (rows.length === 0) return;
  if (newlyCounted === 0)
    return recipientSendsUpsert(tx, rows, tx)
      .execute()
      .then(() => undefined);
  await tx
    .with('reserved', (db) => recipientSendsUpsert(db, rows, tx))
    .updateTable('sender_rate_limits')
    .set((eb) => ({ day_count: eb('day_count', '+', newlyCounted) }))
    .where('sender_id', '=', senderId)
    .execute();
}
