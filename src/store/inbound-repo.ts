import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** An inbound message to store. */
export interface NewInbound {
  wamid: string;
  phone: string;
  type: string;
  text: string | null;
  contextWamid: string | null;
  /** The business number it was sent to. */
  phoneNumberId: string | null;
  occurredAt: number;
  payload: string;
}

/** The campaign message an inbound message answers. */
export interface RepliedMessage {
  messageId: number;
  campaignId: number;
}

/** Stores an inbound message once (Meta re-sends); answers false for a duplicate. */
export async function insertInbound(
  db: Db,
  inbound: NewInbound,
  match: RepliedMessage | undefined,
  contactId: number | null,
  now: number,
): Promise<boolean> {
  const row = await db
    .insertInto('inbound_messages')
    .values({
      wamid: inbound.wamid,
      phone: inbound.phone,
      contact_id: contactId,
      type: inbound.type,
      text: inbound.text,
      context_wamid: inbound.contextWamid,
      campaign_id: match?.campaignId ?? null,
      message_id: match?.messageId ?? null,
      phone_number_id: inbound.phoneNumberId,
      occurred_at: inbound.occurredAt,
      received_at: now,
      payload: inbound.payload,
    })
    .onConflict((oc) => oc.column('wamid').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The message a reply names by `context.id`, else the latest campaign message to that phone since `since`. */
export async function findRepliedMessage(
  db: Db,
  reply: { phone: string; contextWamid: string | null; since: number },
): Promise<RepliedMessage | undefined> {
  if (reply.contextWamid) {
    const byContext = await db
      .selectFrom('messages')
      .select(['id', 'campaign_id'])
      .where('wamid', '=', reply.contextWamid)
      .executeTakeFirst();
    if (byContext) return { messageId: byContext.id, campaignId: byContext.campaign_id };
  }
  const latest = await db
    .selectFrom('messages')
    .select(['id', 'campaign_id'])
    .where('phone', '=', reply.phone)
    .where('accepted_at', '>=', reply.since)
    .orderBy('accepted_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return latest ? { messageId: latest.id, campaignId: latest.campaign_id } : undefined;
}

/** The contact id for a phone, if it is a contact. */
export async function findContactId(db: Db, phone: string): Promise<number | null> {
  const row = await db.selectFrom('contacts').select('id').where('phone', '=', phone).executeTakeFirst();
  return row?.id ?? null;
}

/** Replies per campaign. */
export async function countReplies(db: Db, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.count<number>('id').as('n'))
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The phones among these that wrote to this business number since `sinceMs`: their 24 h
 * customer-service window with it is open (a window is per business number, reference §6).
 */
export async function findOpenServiceWindows(
  db: Db,
  phoneNumberId: string,
  phones: string[],
  sinceMs: number,
): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const rows = await db
    .selectFrom('inbound_messages')
    .select('phone')
    .distinct()
    .where('phone', 'in', phones)
    .where('phone_number_id', '=', phoneNumberId)
    .where('occurred_at', '>', sinceMs)
    .execute();
  return new Set(rows.map((r) => r.phone));
}
