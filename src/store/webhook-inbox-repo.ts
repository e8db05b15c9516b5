import type { Kysely } from 'kysely';
import type { SqlDialect } from './db.ts';
import type { DB } from './schema.ts';
import type { StatusEventInput } from './status-events-repo.ts';

// The webhook inbox: a POST's status events (with those of the POSTs that arrived beside it) are
// stored here in one insert, which is all the 200 answer waits for; a drain applies them to their
// messages moments later (DESIGN.md: answer 200 fast, do the work in batches). A crash in between
// loses nothing: the rows wait for the next drain.

/** Stores status events as one row: durable when this resolves (or, given a transaction, when it commits). */
export async function stashStatusEvents(db: Kysely<DB>, events: StatusEventInput[], now: number): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('webhook_inbox')
    .values({ received_at: now, event_count: events.length, events: JSON.stringify(events) })
    .execute();
}

/**
 * Picks the oldest stashed batches to apply, up to about `maxEvents` events (at least one batch).
 * A batch that failed a drain before goes alone, so one that keeps failing is found out without
 * taking its neighbours down with it. Call inside the transaction that takes and applies them; on
 * PostgreSQL, rows another process is draining are skipped rather than waited for.
 */
export async function pickStashedBatches(trx: Kysely<DB>, dialect: SqlDialect, maxEvents: number): Promise<number[]> {
  // Sizes first, bodies only of the rows taken: one POST may hold 1,000 events (half a megabyte).
  let oldest = trx
    .selectFrom('webhook_inbox')
    .select(['id', 'event_count', 'attempts'])
    .where('set_aside_at', 'is', null)
    .orderBy('id')
    .limit(64);
  if (dialect === 'postgres') oldest = oldest.forUpdate().skipLocked();
  const picked: number[] = [];
  let events = 0;
  for (const row of await oldest.execute()) {
    if (picked.length === 0 && row.attempts > 0) return [row.id];
    if (picked.length > 0 && (row.attempts > 0 || events + row.event_count > maxEvents)) break;
    picked.push(row.id);
    events += row.event_count;
  }
  return picked;
}

/** A stored POST's status events and when they were received. */
export interface StashedBatch {
  receivedAt: number;
  events: StatusEventInput[];
}

/** Deletes picked batches and answers them: they go exactly when the transaction commits. */
export async function takeStashedBatches(trx: Kysely<DB>, ids: readonly number[]): Promise<StashedBatch[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .deleteFrom('webhook_inbox')
    .where('id', 'in', ids)
    .returning(['received_at', 'events'])
    .execute();
  return rows.map((row) => ({
    receivedAt: Number(row.received_at),
    events: JSON.parse(row.events) as StatusEventInput[],
  }));
}

/**
 * Notes a failed drain of these batches; those that have now failed `maxAttempts` times are set
 * aside (kept in the inbox, no longer drained) and their ids answered.
 */
export async function recordDrainFailure(
  db: Kysely<DB>,
  ids: readonly number[],
  error: string,
  now: number,
  maxAttempts: number,
): Promise<number[]> {
  const rows = await db
    .updateTable('webhook_inbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      last_error: error.slice(0, 1_000),
      set_aside_at: eb
        .case()
        .when('attempts', '>=', maxAttempts - 1)
        .then(now)
        .else(null)
        .end(),
    }))
    .where('id', 'in', ids)
    .returning(['id', 'set_aside_at'])
    .execute();
  return rows.filter((r) => r.set_aside_at !== null).map((r) => r.id);
}

/** How many events wait in the inbox (set-aside batches not counted). */
export async function countStashedEvents(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('event_count'), eb.lit(0)).as('n'))
    .where('set_aside_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
