import type { Kysely, Selectable } from 'kysely';
import type { SqlDialect } from './db.ts';
import type { DB, WebhookDeliveriesTable } from './schema.ts';

// The delivery outbox: each event to send to each subscription is a row until it is delivered or
// given up. A worker leases due rows before POSTing, so a crash mid-POST only delays the row until
// its lease ends; a receiver may then see an event twice (it has the event id to tell).

/** A delivery as stored. */
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** One event for one subscription, ready to store. */
export interface NewDelivery {
  subscriptionId: string;
  eventId: string;
  type: string;
  body: string;
}

/** Adds deliveries, due at once (inside the caller's transaction when it holds one). */
export async function insertDeliveries(db: Kysely<DB>, deliveries: readonly NewDelivery[], now: number): Promise<void> {
  if (deliveries.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(
      deliveries.map((d) => ({
        subscription_id: d.subscriptionId,
        event_id: d.eventId,
        type: d.type,
        body: d.body,
        state: 'pending' as const,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
}

/** Leases up to `limit` due deliveries for `leaseMs` and answers them; on PostgreSQL other workers' rows are skipped. */
export async function claimDueDeliveries(
  db: Kysely<DB>,
  dialect: SqlDialect,
  claim: { now: number; limit: number; leaseMs: number },
): Promise<DeliveryRow[]> {
  return db.transaction().execute(async (trx) => {
    let due = trx
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', claim.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', claim.now)]))
      .orderBy('next_attempt_at')
      .limit(claim.limit);
    if (dialect === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    return trx
      .updateTable('webhook_deliveries')
      .set({ lease_until: claim.now + claim.leaseMs })
      .where('id', 'in', ids)
      .returningAll()
      .execute();
  });
}

/** What one attempt gave: the receiver's status (or none) and what happens next. */
export interface AttemptResult {
  status: number | null;
  error: string | null;
  state: 'pending' | 'delivered' | 'dead';
  nextAttemptAt: number;
}

/** Records one attempt and releases the lease. */
export async function recordAttempt(db: Kysely<DB>, id: number, result: AttemptResult, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      state: result.state,
      last_status: result.status,
      last_error: result.error,
      next_attempt_at: result.nextAttemptAt,
      lease_until: null,
      finished_at: result.state === 'pending' ? null : now,
    }))
    .where('id', '=', id)
    .execute();
}

/** A subscription's deliveries, newest first, keyset by id. */
export function listDeliveries(
  db: Kysely<DB>,
  subscriptionId: string,
  page: { beforeId: number; limit: number },
): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .$if(page.beforeId > 0, (q) => q.where('id', '<', page.beforeId))
    .orderBy('id', 'desc')
    .limit(page.limit)
    .execute();
}
