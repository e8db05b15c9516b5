import { type Kysely, sql } from 'kysely';
import { type QueryReader, readOnConnection } from './query-reader.ts';
import type { DB } from './schema.ts';

// The figures /metrics reads from the database. Counting every message on every scrape would cost
// a full pass over millions of rows; these read only what is cheap: the campaigns table (small),
// the webhook inbox (drained within moments), and the messages of running campaigns through the
// (campaign_id, status, next_attempt_at) index, which answers every count without touching a row.

/** Messages of one running campaign by status; pending is split into due now and waiting for later. */
export interface RunningCampaignCounts {
  campaignId: number;
  senderId: string;
  byStatus: Record<string, number>;
  /** Pending with next_attempt_at in the future: deferred by limits, a send window or a retry backoff. */
  pendingLater: number;
}

/** What the webhook inbox holds: events waiting to be applied, and batches set aside after failing. */
export interface InboxBacklog {
  waitingEvents: number;
  oldestWaitingReceivedAt: number | null;
  setAsideBatches: number;
}

/** Campaigns by status, and the sender of each running one. */
export async function readCampaignStatuses(
  db: Kysely<DB>,
): Promise<{ byStatus: Record<string, number>; running: { id: number; senderId: string }[] }> {
  const rows = await db.selectFrom('campaigns').select(['id', 'status', 'sender_id']).execute();
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  const running = rows.filter((r) => r.status === 'running').map((r) => ({ id: r.id, senderId: r.sender_id }));
  return { byStatus, running };
}

/** Counts the messages of these running campaigns by status, and their pending messages not yet due. */
export async function readRunningCampaignCounts(
  db: Kysely<DB>,
  campaigns: readonly { id: number; senderId: string }[],
  now: number,
  read: QueryReader = readOnConnection,
): Promise<RunningCampaignCounts[]> {
  if (campaigns.length === 0) return [];
  const ids = campaigns.map((c) => c.id);
  const n = sql<number>`count(*)`.as('n');
  const [byStatus, later] = await Promise.all([
    read(
      db
        .selectFrom('messages')
        .select(['campaign_id', 'status', n])
        .where('campaign_id', 'in', ids)
        .groupBy(['campaign_id', 'status']),
    ),
    read(
      db
        .selectFrom('messages')
        .select(['campaign_id', n])
        .where('campaign_id', 'in', ids)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '>', now)
        .groupBy('campaign_id'),
    ),
  ]);
  return campaigns.map(({ id, senderId }) => ({
    campaignId: id,
    senderId,
    byStatus: Object.fromEntries(byStatus.filter((r) => r.campaign_id === id).map((r) => [r.status, Number(r.n)])),
    pendingLater: Number(later.find((r) => r.campaign_id === id)?.n ?? 0),
  }));
}

/** Contacts stored and numbers on the suppression list (each a count over its smallest index). */
export async function readPeopleCounts(
  db: Kysely<DB>,
  read: QueryReader = readOnConnection,
): Promise<{ contacts: number; suppressions: number }> {
  const n = sql<number>`count(*)`.as('n');
  const [contacts, suppressions] = await Promise.all([
    read(db.selectFrom('contacts').select(n)),
    read(db.selectFrom('suppressions').select(n)),
  ]);
  return { contacts: Number(contacts[0]?.n ?? 0), suppressions: Number(suppressions[0]?.n ?? 0) };
}

/** The webhook inbox's backlog, in one pass over its (few) rows. */
export async function readInboxBacklog(db: Kysely<DB>): Promise<InboxBacklog> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select([
      sql<number | null>`sum(case when set_aside_at is null then event_count else 0 end)`.as('waiting'),
      sql<number | null>`min(case when set_aside_at is null then received_at end)`.as('oldest'),
      sql<number | null>`sum(case when set_aside_at is null then 0 else 1 end)`.as('set_aside'),
    ])
    .executeTakeFirstOrThrow();
  return {
    waitingEvents: Number(row.waiting ?? 0),
    oldestWaitingReceivedAt: row.oldest === null ? null : Number(row.oldest),
    setAsideBatches: Number(row.set_aside ?? 0),
  };
}
