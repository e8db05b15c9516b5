// The read queries behind a campaign report. Every query is portable between SQLite and
// PostgreSQL: times are epoch-ms integers, so `(t / 60000) * 60000` is integer arithmetic on both.
import { type Kysely, type RawBuilder, sql } from 'kysely';
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

/**
 * True for a number whose calling code alone does not name its country: one of `sharedCodes`
 * (never +1: its area code does), or no E.164 number at all (an erased person's stand-in).
 */
function isPricedOneByOne(sharedCodes: readonly string[]): RawBuilder<boolean> {
  const byLength = [1, 2, 3].flatMap((length) => {
    const codes = sharedCodes.filter((code) => code.length === length);
    return codes.length === 0
      ? []
      : [sql`substr(phone, 2, ${sql.lit(length)}) in (${sql.join(codes.map((code) => sql.lit(code)))})`];
  });
  // Literals, not parameters: PostgreSQL matches the grouped expression to the selected one by its text.
  return sql<boolean>`(phone not like '+%' or ${sql.join([...byLength, sql`1 = 0`], sql` or `)})`;
}

/** Messages alike for pricing: same country (`samplePhone` is one of them), status and Meta's verdict. */
export interface MessagePricingGroup {
  /** True for the messages priced one by one (see pageMessagePricing), whatever their country. */
  isPricedOneByOne: boolean;
  samplePhone: string;
  status: string;
  billable: boolean | null;
  pricingCategory: string | null;
  count: number;
}

/**
 * A campaign's messages counted by country key, status and pricing verdict, those priced one by
 * one in groups of their own: a few dozen rows however big the campaign, so the report never
 * reads 100k messages into memory to price them (bench:dashboard).
 */
export async function countMessagePricingGroups(
  db: Kysely<DB>,
  campaignId: number,
  sharedCodes: readonly string[],
): Promise<MessagePricingGroup[]> {
  // +1 numbers by area code, the others by calling code (at most three digits after the +).
  const key = sql<string>`case when ${isPricedOneByOne(sharedCodes)} then '' when phone like '+1%' then substr(phone, 1, 5) else substr(phone, 1, 4) end`;
  const rows = await db
    .selectFrom('messages')
    .select([
      sql<string>`${key}`.as('key'),
      sql<string>`min(phone)`.as('sample'),
      'status',
      'billable',
      'pricing_category',
      sql<number>`count(*)`.as('n'),
    ])
    .where('campaign_id', '=', campaignId)
    .groupBy([key, 'status', 'billable', 'pricing_category'])
    .execute();
  return rows.map((r) => ({
    isPricedOneByOne: r.key === '',
    samplePhone: r.sample,
    status: r.status,
    billable: r.billable === null ? null : Number(r.billable) === 1,
    pricingCategory: r.pricing_category,
    count: Number(r.n),
  }));
}

/** One page (id order) of the campaign's messages whose country only the whole number names. */
export async function pageMessagePricing(
  db: Kysely<DB>,
  page: { campaignId: number; afterId: number; limit: number; sharedCodes: readonly string[] },
): Promise<MessagePricing[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'phone', 'status', 'billable', 'pricing_category'])
    .where('campaign_id', '=', page.campaignId)
    .where('id', '>', page.afterId)
    .where(isPricedOneByOne(page.sharedCodes))
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
