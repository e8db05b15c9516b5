import { type Kysely, sql, type Transaction } from 'kysely';
import { countRecipientsSince } from './recipient-sends-repo.ts';
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

/** The sender's unique recipients in the rolling 24 h, recounted from recipient_sends when older than `maxAgeMs`. */
export async function readDailyRecipients(
  tx: Transaction<DB>,
  senderId: string,
  nowMs: number,
  maxAgeMs: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const row = await tx
    .selectFrom('sender_rate_limits')
    .select(['day_count', 'day_counted_at', 'day_oldest_at'])
    .where('sender_id', '=', senderId)
    .executeTakeFirst();
  if (row && nowMs - Number(row.day_counted_at) < maxAgeMs)
    return { count: row.day_count, oldestAt: row.day_oldest_at === null ? null : Number(row.day_oldest_at) };
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

/** Adds newly counted recipients to the cached 24 h count. */
export async function addDailyRecipients(tx: Transaction<DB>, senderId: string, added: number): Promise<void> {
  if (added === 0) return;
  await tx
    .updateTable('sender_rate_limits')
    .set((eb) => ({ day_count: eb('day_count', '+', added) }))
    .where('sender_id', '=', senderId)
    .execute();
}
