import { type Kysely, sql } from 'kysely';
import type { TemplateCategory } from '../domain/template.ts';
import type { CampaignStatus } from './campaigns-repo.ts';
import type { SqlDialect } from './db.ts';
import { type QueryReader, readOnConnection } from './query-reader.ts';
import type { DB } from './schema.ts';

// The outbox is the queue (DESIGN.md): claiming marks rows `sending` under a lease before any
// request leaves, and every claimed row ends in a recorded outcome.

/** A message claimed for sending. */
export interface ClaimedMessage {
  id: number;
  campaignId: number;
  phone: string;
  rendered: string;
  attempts: number;
  /** The recipient's zone when the campaign has a send window. */
  timeZone: string | null;
}

/** Claims up to `limit` due messages of one campaign: `pending` → `sending` with a lease. */
export async function claimDueMessages(
  db: Kysely<DB>,
  dialect: SqlDialect,
  claim: { campaignId: number; limit: number; now: number; leaseUntil: number; owner: string },
): Promise<ClaimedMessage[]> {
  let due = db
    .selectFrom('messages')
    .select('id')
    .where('campaign_id', '=', claim.campaignId)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', claim.now)
    .orderBy('next_attempt_at')
    .orderBy('id')
    .limit(claim.limit);
  // Several PostgreSQL workers claim side by side without waiting on each other's rows.
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('messages')
    .set((eb) => ({
      status: 'sending',
      lease_until: claim.leaseUntil,
      lease_owner: claim.owner,
      attempts: eb('attempts', '+', 1),
      updated_at: claim.now,
    }))
    .where('id', 'in', due)
    .returning(['id', 'campaign_id', 'phone', 'rendered', 'attempts', 'time_zone'])
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      phone: r.phone,
      rendered: r.rendered ?? '{}',
      attempts: r.attempts,
      timeZone: r.time_zone,
    }))
    .sort((a, b) => a.id - b.id);
}

/** Puts claimed messages back in the queue untouched (limits said "not yet"), without counting an attempt. */
export async function deferMessages(
  db: Kysely<DB>,
  deferrals: { id: number; nextAttemptAt: number; reason: string }[],
  now: number,
): Promise<void> {
  if (deferrals.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (const d of deferrals) {
      await tx
        .updateTable('messages')
        .set((eb) => ({
          status: 'pending',
          next_attempt_at: d.nextAttemptAt,
          status_reason: d.reason,
          lease_until: null,
          lease_owner: null,
          attempts: eb('attempts', '-', 1),
          updated_at: now,
        }))
        .where('id', '=', d.id)
        .where('status', '=', 'sending')
        .execute();
    }
  });
}

/**
 * Rows still held by a worker past their lease (it died mid-send, or its request hangs) may have
 * been accepted by Meta: they give up their owner and wait `reconcileMs` for a webhook naming
 * them before they may be sent again (DESIGN.md "No duplicates"). Returns how many began waiting.
 */
export async function reconcileExpiredLeases(
  db: Kysely<DB>,
  campaignId: number,
  now: number,
  reconcileMs: number,
): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set({
      lease_until: now + reconcileMs,
      lease_owner: null,
      status_reason: 'worker lost: waiting for a webhook',
      updated_at: now,
    })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .where('lease_owner', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Returns to the queue the rows that waited their reconciliation window (no owner: an unknown
 * outcome, or a lost worker) and no webhook named them. Returns how many came back.
 */
export async function releaseExpiredLeases(db: Kysely<DB>, campaignId: number, now: number): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'pending', next_attempt_at: now, lease_until: null, lease_owner: null, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'sending')
    .where('lease_until', '<', now)
    .where('lease_owner', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Counts messages per status for one campaign: a walk of its entries in the due index, which grows
 * with the campaign (about 15 ms at 150,000 messages), so `read` may run it on another connection.
 */
export async function countMessagesByStatus(
  db: Kysely<DB>,
  campaignId: number,
  read: QueryReader = readOnConnection,
): Promise<Record<string, number>> {
  const rows = await read(
    db
      .selectFrom('messages')
      .select(['status', sql<number>`count(*)`.as('n')])
      .where('campaign_id', '=', campaignId)
      .groupBy('status'),
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** True while a campaign still has messages the dispatcher must handle. */
export async function hasUnsettledMessages(db: Kysely<DB>, campaignId: number): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('status', 'in', ['pending', 'sending'])
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Settles every message still waiting in the queue as `skipped` (a cancelled campaign). */
export async function skipPendingMessages(
  db: Kysely<DB>,
  campaignId: number,
  reason: string,
  now: number,
): Promise<number> {
  const result = await db
    .updateTable('messages')
    .set({ status: 'skipped', status_reason: reason, updated_at: now })
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// The campaigns that may hold pending messages: drafts have none yet, completed ones none left,
// cancelled ones skipped theirs. Scheduled ones are asked too: a probe costs little, a miss a send.
const CAMPAIGN_STATUSES_WITH_PENDING: CampaignStatus[] = ['scheduled', 'running', 'paused'];

/**
 * Skips every message still waiting for this contact in any campaign (the number just opted out),
 * or only those of campaigns on templates of the given categories (it revoked one purpose).
 * Answers how many it skipped. One probe of the (campaign, contact) key per live campaign: an
 * opt-out stays O(log n) in the messages stored, inside the transaction a STOP webhook's answer
 * waits for, and costs no index of its own to materialising or claiming.
 */
export async function skipPendingForContact(
  db: Kysely<DB>,
  contactId: number,
  reason: string,
  now: number,
  categories?: readonly TemplateCategory[],
): Promise<number> {
  let live = db
    .selectFrom('campaigns')
    .select('campaigns.id')
    .where('campaigns.status', 'in', CAMPAIGN_STATUSES_WITH_PENDING);
  if (categories !== undefined) {
    live = live
      .innerJoin('templates', 'templates.id', 'campaigns.template_id')
      .where('templates.category', 'in', [...categories]);
  }
  const result = await db
    .updateTable('messages')
    .set({ status: 'skipped', status_reason: reason, updated_at: now })
    .where('campaign_id', 'in', live)
    .where('contact_id', '=', contactId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Settles claimed messages as `skipped` with their reasons (policy said no after the claim). */
export async function skipClaimedMessages(
  db: Kysely<DB>,
  skips: readonly { id: number; reason: string }[],
  now: number,
): Promise<void> {
  if (skips.length === 0) return;
  await db.transaction().execute(async (tx) => {
    for (const skip of skips) {
      await tx
        .updateTable('messages')
        .set({ status: 'skipped', status_reason: skip.reason, lease_until: null, lease_owner: null, updated_at: now })
        .where('id', '=', skip.id)
        .where('status', '=', 'sending')
        .execute();
    }
  });
}
