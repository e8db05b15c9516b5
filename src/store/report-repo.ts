// The read queries behind a campaign report. Every query is portable between SQLite and
// PostgreSQL: times are epoch-ms integers, so `(t / 60000) * 60000` is integer arithmetic on both.
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';

/** How many of a campaign's failed messages carry each Meta error code (null: no code). */
export async function countFailuresByCode(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ code: number | null; count: number }[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['error_code', sql<number>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'failed')
    .groupBy('error_code')
    .orderBy('error_code')
    .execute();
  return rows.map((r) => ({ code: r.error_code === null ? null : Number(r.error_code), count: Number(r.n) }));
}

/** How many of a campaign's skipped messages carry each status_reason, verbatim. */
export async function countSkippedByReason(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ reason: string | null; count: number }[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['status_reason', sql<number>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId)
    .where('status', '=', 'skipped')
    .groupBy('status_reason')
    .execute();
  return rows.map((r) => ({ reason: r.status_reason, count: Number(r.n) }));
}

/** The delivery events a timeline counts, each read from its own time column. */
export const TIMELINE_EVENTS = ['sent', 'delivered', 'read', 'failed'] as const;
/** One of TIMELINE_EVENTS. */
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

const TIME_COLUMNS = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
} as const satisfies Record<TimelineEvent, string>;

/** Per event, how many of a campaign's messages reached it in each minute (minute start in epoch ms). */
export async function countEventsByMinute(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ event: TimelineEvent; minuteMs: number; count: number }[]> {
  const out: { event: TimelineEvent; minuteMs: number; count: number }[] = [];
  for (const event of TIMELINE_EVENTS) {
    const column = sql.ref(TIME_COLUMNS[event]);
    const minute = sql<number>`(${column} / 60000) * 60000`;
    const rows = await db
      .selectFrom('messages')
      .select([minute.as('minute'), sql<number>`count(*)`.as('n')])
      .where('campaign_id', '=', campaignId)
      .where(TIME_COLUMNS[event], 'is not', null)
      .groupBy(minute)
      .execute();
    for (const r of rows) out.push({ event, minuteMs: Number(r.minute), count: Number(r.n) });
  }
  return out;
}

/** One message as cost sees it: where it went, how far it got, and Meta's pricing verdict. */
export interface MessagePricing {
  id: number;
  phone: string;
  status: string;
  billable: boolean | null;
  pricingCategory: string | null;
}

/** One page (id order) of a campaign's messages with their pricing columns. */
export async function pageMessagePricing(
  db: Kysely<DB>,
  page: { campaignId: number; afterId: number; limit: number },
): Promise<MessagePricing[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'phone', 'status', 'billable', 'pricing_category'])
    .where('campaign_id', '=', page.campaignId)
    .where('id', '>', page.afterId)
    .orderBy('id')
    .limit(page.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    phone: r.phone,
    status: r.status,
    billable: r.billable === null ? null : Number(r.billable) === 1,
    pricingCategory: r.pricing_category,
  }));
}

/** Replies attributed to a campaign: how many, and from how many numbers. */
export async function countCampaignReplies(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ replies: number; repliers: number }> {
  const row = await db
    .selectFrom('inbound_messages')
    .select([sql<number>`count(*)`.as('n'), sql<number>`count(distinct phone)`.as('phones')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return { replies: Number(row.n), repliers: Number(row.phones) };
}

/** The text of every inbound message attributed to a campaign (the caller spots opt-out words). */
export async function listCampaignReplyTexts(
  db: Kysely<DB>,
  campaignId: number,
): Promise<{ phone: string; text: string | null }[]> {
  return db
    .selectFrom('inbound_messages')
    .select(['phone', 'text'])
    .where('campaign_id', '=', campaignId)
    .orderBy('id')
    .execute();
}

/** Numbers this campaign handed to Meta that were opted out at or after `since`. */
export async function listOptOutsAfterMessages(db: Kysely<DB>, campaignId: number, since: number): Promise<string[]> {
  const rows = await db
    .selectFrom('suppressions as s')
    .select('s.phone')
    .where('s.reason', '=', 'opted_out')
    .where('s.created_at', '>=', since)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages as m')
          .select(sql`1`.as('one'))
          .whereRef('m.phone', '=', 's.phone')
          .where('m.campaign_id', '=', campaignId)
          .where('m.accepted_at', 'is not', null),
      ),
    )
    .execute();
  return rows.map((r) => r.phone);
}

/** The newest campaign made to resend `parentId`'s failures that is not cancelled, if any. */
export async function findActiveResendChild(
  db: Kysely<DB>,
  parentId: number,
): Promise<{ id: number; status: string } | undefined> {
  return db
    .selectFrom('campaigns')
    .select(['id', 'status'])
    .where('parent_campaign_id', '=', parentId)
    .where('status', '!=', 'cancelled')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}
