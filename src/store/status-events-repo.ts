import type { Kysely, Selectable, Transaction } from 'kysely';
import { type DeliveryStatus, isForward, type MessageStatus } from '../domain/message-status.ts';
import type { DB, MessagesTable } from './schema.ts';

// Status webhooks are idempotent and order-free (DESIGN.md): each (wamid, status) is stored once,
// a message's status only moves forward, and an event that beats the send's answer waits, stored,
// until the send is recorded.

/** One status event from a webhook, ready to store. */
export interface StatusEventInput {
  wamid: string;
  status: DeliveryStatus;
  occurredAt: number;
  /** biz_opaque_callback_data: our message id, which matches the event when the wamid is not yet known. */
  callbackData: string | null;
  error: { code: number | null; title: string | null; details: string | null } | null;
  pricing: { model: string | null; category: string | null; billable: boolean | null } | null;
  /** Meta's status object as received, kept whole. */
  raw: unknown;
}

/** An event that changed a message, for side effects such as opt-outs on 131050. */
export interface AppliedStatus {
  messageId: number;
  campaignId: number;
  phone: string;
  status: DeliveryStatus;
  errorCode: number | null;
}

type Db = Kysely<DB> | Transaction<DB>;

const TIME_COLUMN: Record<DeliveryStatus, 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at'> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
};

/** Stores new events once and applies each to its message; duplicates change nothing. */
export async function recordStatusEvents(db: Db, events: StatusEventInput[], now: number): Promise<AppliedStatus[]> {
  const fresh: StatusEventInput[] = [];
  // Oldest first, so each message's time columns and status settle in one pass.
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  for (const event of ordered) {
    const inserted = await db
      .insertInto('status_events')
      .values({
        wamid: event.wamid,
        status: event.status,
        callback_data: event.callbackData,
        message_id: null,
        is_applied: 0,
        occurred_at: event.occurredAt,
        received_at: now,
        payload: JSON.stringify(event),
      })
      .onConflict((oc) => oc.columns(['wamid', 'status']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) fresh.push(event);
  }
  return applyEvents(db, fresh, now);
}

/** Applies stored events that were waiting for these wamids (the send's answer came after them). */
export async function applyWaitingEvents(db: Db, wamids: string[], now: number): Promise<AppliedStatus[]> {
  if (wamids.length === 0) return [];
  const waiting = await db
    .selectFrom('status_events')
    .selectAll()
    .where('is_applied', '=', 0)
    .where('wamid', 'in', wamids)
    .execute();
  const events = waiting.map((row) => JSON.parse(row.payload) as StatusEventInput);
  return applyEvents(db, events, now);
}

async function applyEvents(db: Db, events: StatusEventInput[], now: number): Promise<AppliedStatus[]> {
  const applied: AppliedStatus[] = [];
  for (const event of events) {
    const message = await findMessage(db, event);
    if (!message) continue;
    await db
      .updateTable('status_events')
      .set({ is_applied: 1, message_id: message.id })
      .where('wamid', '=', event.wamid)
      .where('status', '=', event.status)
      .execute();
    const change = messageChange(message, event, now);
    await db.updateTable('messages').set(change).where('id', '=', message.id).execute();
    if (change.status !== undefined) {
      applied.push({
        messageId: message.id,
        campaignId: message.campaign_id,
        phone: message.phone,
        status: event.status,
        errorCode: event.error?.code ?? null,
      });
    }
  }
  return applied;
}

type MessageRow = Pick<Selectable<MessagesTable>, 'id' | 'campaign_id' | 'phone' | 'status' | 'wamid'>;

async function findMessage(db: Db, event: StatusEventInput): Promise<MessageRow | undefined> {
  const columns = ['id', 'campaign_id', 'phone', 'status', 'wamid'] as const;
  const byWamid = await db.selectFrom('messages').select(columns).where('wamid', '=', event.wamid).executeTakeFirst();
  if (byWamid) return byWamid;
  const id = event.callbackData !== null && /^\d+$/.test(event.callbackData) ? Number(event.callbackData) : undefined;
  if (id === undefined) return undefined;
  const byId = await db.selectFrom('messages').select(columns).where('id', '=', id).executeTakeFirst();
  // A message carries one wamid; an event naming our id with another wamid belongs to an older attempt.
  return byId && (byId.wamid === null || byId.wamid === event.wamid) ? byId : undefined;
}

/** The columns an event changes: its time always, the status only when it moves forward. */
function messageChange(message: MessageRow, event: StatusEventInput, now: number) {
  const change: Partial<Record<keyof MessagesTable, unknown>> & { status?: MessageStatus } = {
    [TIME_COLUMN[event.status]]: event.occurredAt,
    updated_at: now,
  };
  if (message.wamid === null) {
    change.wamid = event.wamid;
    change.lease_until = null;
    change.lease_owner = null;
  }
  if (event.pricing) {
    change.pricing_model = event.pricing.model;
    change.pricing_category = event.pricing.category;
    change.billable = event.pricing.billable === null ? null : event.pricing.billable ? 1 : 0;
  }
  if (isForward(message.status, event.status)) {
    change.status = event.status;
    if (event.error) {
      change.error_code = event.error.code;
      change.error_title = event.error.title;
      change.error_details = event.error.details;
    }
  }
  return change as Parameters<ReturnType<Db['updateTable']>['set']>[0] & { status?: MessageStatus };
}
