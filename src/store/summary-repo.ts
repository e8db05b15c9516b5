import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** How many messages reached each step since a moment, and the replies and opt-outs since then. */
export interface ActivitySince {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  replies: number;
  optOuts: number;
}

// Delivery and read receipts keep arriving for days after a campaign finished sending.
const RECEIPTS_TRAIL_MS = 7 * 24 * 3_600_000;

/**
 * Counts since `since`. Messages are read only from campaigns that ran in that span (or finished
 * within a week before it), so the outbox is never scanned whole and no index is added to it.
 */
export async function countActivitySince(db: Kysely<DB>, since: number): Promise<ActivitySince> {
  const after = (column: 'accepted_at' | 'delivered_at' | 'read_at' | 'failed_at') =>
    sql<number>`coalesce(sum(case when ${sql.ref(column)} >= ${since} then 1 else 0 end), 0)`;
  const activeCampaigns = db
    .selectFrom('campaigns')
    .select('id')
    .where('started_at', 'is not', null)
    .where((eb) => eb.or([eb('finished_at', 'is', null), eb('finished_at', '>=', since - RECEIPTS_TRAIL_MS)]));
  const [messages, replies, optOuts] = await Promise.all([
    db
      .selectFrom('messages')
      .select([
        after('accepted_at').as('sent'),
        after('delivered_at').as('delivered'),
        after('read_at').as('read'),
        after('failed_at').as('failed'),
      ])
      .where('campaign_id', 'in', activeCampaigns)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('inbound_messages')
      .select(sql<number>`count(*)`.as('n'))
      .where('received_at', '>=', since)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('consent_events')
      .select(sql<number>`count(distinct contact_id)`.as('n'))
      .where('action', '=', 'revoke')
      .where('recorded_at', '>=', since)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    sent: Number(messages.sent),
    delivered: Number(messages.delivered),
    read: Number(messages.read),
    failed: Number(messages.failed),
    replies: Number(replies.n),
    optOuts: Number(optOuts.n),
  };
}

/** Ids of the campaigns in these statuses, newest first, at most `limit`. */
export async function listCampaignIdsByStatus(
  db: Kysely<DB>,
  statuses: ('running' | 'paused' | 'scheduled')[],
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('status', 'in', statuses)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** How many campaigns are scheduled. */
export async function countScheduledCampaigns(db: Kysely<DB>): Promise<number> {
  const row = await db
    .selectFrom('campaigns')
    .select(sql<number>`count(*)`.as('n'))
    .where('status', '=', 'scheduled')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
