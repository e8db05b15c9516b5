import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** When a recipient entered the rolling-24 h count and when they were last sent to. */
export interface RecipientSend {
  windowStartedAt: number;
  lastSentAt: number;
}

/** The recipient records of these phones for one sender. */
export async function loadRecipientSends(
  db: Kysely<DB>,
  senderId: string,
  phones: string[],
): Promise<Map<string, RecipientSend>> {
  const found = new Map<string, RecipientSend>();
  if (phones.length === 0) return found;
  const rows = await db
    .selectFrom('recipient_sends')
    .select(['phone', 'window_started_at', 'last_sent_at'])
    .where('sender_id', '=', senderId)
    .where('phone', 'in', phones)
    .execute();
  for (const r of rows) found.set(r.phone, { windowStartedAt: r.window_started_at, lastSentAt: r.last_sent_at });
  return found;
}

/** Unique recipients counted since `since`, and when the oldest of them leaves the window. */
export async function countRecipientsSince(
  db: Kysely<DB>,
  senderId: string,
  since: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const row = await db
    .selectFrom('recipient_sends')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`min(window_started_at)`.as('oldest')])
    .where('sender_id', '=', senderId)
    .where('window_started_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestAt: row.oldest === null ? null : Number(row.oldest) };
}
