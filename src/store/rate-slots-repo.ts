import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

// A sender's send slots on PostgreSQL, shared by every worker: a GCRA whose "theoretical arrival
// time" (next_slot_ms) is the next free slot. One atomic UPDATE … RETURNING hands out up to `want`
// consecutive slots `intervalMs` apart, never more than `lookaheadMs` ahead of the server's clock,
// so however many workers ask, no two slots are closer than `intervalMs`. Time is the server's
// (clock_timestamp(), read under the row lock), so workers' clocks need not agree.

/** Consecutive send slots: `count` of them from `firstSlotMs`, `intervalMs` apart, in the server's clock. */
export interface RateSlots {
  firstSlotMs: number;
  count: number;
  /** The server's clock when the grant was made: slots are relative to it. */
  serverNowMs: number;
  /** The server time from which the next slot may be asked for (when this grant gave none). */
  nextFreeMs: number;
}

/** What a worker asks for. */
export interface RateSlotRequest {
  senderId: string;
  want: number;
  intervalMs: number;
  lookaheadMs: number;
}

/** Creates the sender's limiter row if it is missing (once, when a worker starts the sender). */
export async function ensureRateLimitRow(db: Kysely<DB>, senderId: string): Promise<void> {
  await db
    .insertInto('sender_rate_limits')
    .values({ sender_id: senderId })
    .onConflict((oc) => oc.column('sender_id').doNothing())
    .execute();
}

/** Takes up to `want` slots in one statement (PostgreSQL only). */
export async function takeRateSlots(db: Kysely<DB>, request: RateSlotRequest): Promise<RateSlots> {
  const { senderId, want, intervalMs, lookaheadMs } = request;
  const nowMs = sql<number>`(extract(epoch from clock_timestamp()) * 1000)`;
  const start = sql<number>`greatest(next_slot_ms, ${nowMs})`;
  // Slots from `start` while they stay within the look-ahead of now.
  const count = sql<number>`least(${want}::int, greatest(0, ceil((${nowMs} + ${lookaheadMs}::float8 - ${start}) / ${intervalMs}::float8))::int)`;
  const row = await db
    .updateTable('sender_rate_limits')
    .set({
      last_granted: count,
      next_slot_ms: sql<number>`${start} + ${count} * ${intervalMs}::float8`,
    })
    .where('sender_id', '=', senderId)
    .returning(['next_slot_ms', 'last_granted', sql<number>`${nowMs}`.as('server_now_ms')])
    .executeTakeFirst();
  if (row === undefined) throw new Error(`no limiter row for sender ${senderId}`);
  const next = Number(row.next_slot_ms);
  const granted = Number(row.last_granted);
  return {
    firstSlotMs: next - granted * intervalMs,
    count: granted,
    serverNowMs: Number(row.server_now_ms),
    nextFreeMs: next - lookaheadMs,
  };
}
