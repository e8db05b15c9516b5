import type { Kysely } from 'kysely';
import type { SqlDialect } from './db.ts';
import type { DB } from './schema.ts';
import type { StatusEventInput } from './status-events-repo.ts';

// The webhook inbox: a POST's status events are stored here in one insert, which is all the 200
// answer waits for; a drain applies them to their messages moments later (DESIGN.md: answer 200
// fast, do the work in batches). A crash in between loses nothing: the rows wait for the next drain.

/** Stores one POST's status events: durable when this resolves (or, given a transaction, when it commits). */
export async function stashStatusEvents(db: Kysely<DB>, events: StatusEventInput[], now: number): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('webhook_inbox')
    .values({ received_at: now, event_count: events.length, events: JSON.stringify(events) })
    .execute();
}

/**
 * Takes the oldest stashed batches, up to about `maxEvents` events (at least one batch), and
 * deletes them: call inside the transaction that applies them, so they go exactly when applied.
 * On PostgreSQL, rows another process is draining are skipped rather than waited for.
 */
export async function takeStashedEvents(
  trx: Kysely<DB>,
  dialect: SqlDialect,
  maxEvents: number,
): Promise<StatusEventInput[]> {
  // Sizes first, bodies only of the rows taken: one POST may hold 1,000 events (half a megabyte).
  let oldest = trx.selectFrom('webhook_inbox').select(['id', 'event_count']).orderBy('id').limit(64);
  if (dialect === 'postgres') oldest = oldest.forUpdate().skipLocked();
  const taken: number[] = [];
  let events = 0;
  for (const row of await oldest.execute()) {
    if (taken.length > 0 && events + row.event_count > maxEvents) break;
    taken.push(row.id);
    events += row.event_count;
  }
  if (taken.length === 0) return [];
  const rows = await trx.deleteFrom('webhook_inbox').where('id', 'in', taken).returning('events').execute();
  return rows.flatMap((row) => JSON.parse(row.events) as StatusEventInput[]);
}

/** How many events wait in the inbox. */
export async function countStashedEvents(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('event_count'), eb.lit(0)).as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
