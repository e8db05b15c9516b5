import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { type DeliveryStatus, isForward, MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.ts';
import type { DB, MessagesTable } from './schema.ts';
import { inChunks, type ValuesColumn, valuesTable } from './sql-batch.ts';

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

/**
 * Stores new events once and applies each to its message; duplicates change nothing. A batch
 * costs a handful of statements, not a few per event: webhooks bring thousands of events a second.
 */
export async function recordStatusEvents(db: Db, events: StatusEventInput[], now: number): Promise<AppliedStatus[]> {
  // Oldest first, so each message's time columns and status settle in one pass.
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  return applyEvents(db, await insertOnce(db, ordered, now), now);
}

const eventKey = (e: { wamid: string; status: string }) => `${e.status}\u0000${e.wamid}`;

// 8 columns a row: 1,000 rows stay well under SQLite's 32,766 bound parameters a statement.
const EVENT_ROWS_PER_INSERT = 1_000;

/** Inserts the events not stored yet; answers them, in order (the first of a repeated pair wins). */
async function insertOnce(db: Db, ordered: StatusEventInput[], now: number): Promise<StatusEventInput[]> {
  const firsts = new Map<string, StatusEventInput>();
  for (const event of ordered) if (!firsts.has(eventKey(event))) firsts.set(eventKey(event), event);
  const candidates = [...firsts.values()];
  const inserted = new Set<string>();
  for (const chunk of inChunks(candidates, EVENT_ROWS_PER_INSERT)) {
    const rows = await db
      .insertInto('status_events')
      .values(
        chunk.map((event) => ({
          wamid: event.wamid,
          status: event.status,
          callback_data: event.callbackData,
          message_id: null,
          is_applied: 0,
          occurred_at: event.occurredAt,
          received_at: now,
          payload: JSON.stringify(event),
        })),
      )
      .onConflict((oc) => oc.columns(['wamid', 'status']).doNothing())
      .returning(['wamid', 'status'])
      .execute();
    for (const row of rows) inserted.add(eventKey(row));
  }
  return candidates.filter((event) => inserted.has(eventKey(event)));
}

/** Applies stored events that were waiting for these wamids (the send's answer came after them). */
export async function applyWaitingEvents(db: Db, wamids: string[], now: number): Promise<AppliedStatus[]> {
  if (wamids.length === 0) return [];
  const events: StatusEventInput[] = [];
  for (const chunk of inChunks(wamids, 2_000)) {
    const waiting = await db
      .selectFrom('status_events')
      .select('payload')
      .where('is_applied', '=', 0)
      .where('wamid', 'in', chunk)
      .execute();
    for (const row of waiting) events.push(JSON.parse(row.payload) as StatusEventInput);
  }
  return applyEvents(db, events, now);
}

/**
 * Applies events in order to the messages they name, as if one by one: each sees the status and
 * wamid the events before it left. The net change of each message is then written at once.
 */
async function applyEvents(db: Db, events: StatusEventInput[], now: number): Promise<AppliedStatus[]> {
  if (events.length === 0) return [];
  const found = await loadMessages(db, events);
  const changes = new Map<number, MessageChange>();
  const matched: { wamid: string; status: string; messageId: number }[] = [];
  const applied: AppliedStatus[] = [];
  for (const event of events) {
    const message = matchMessage(found, event);
    if (!message) continue;
    matched.push({ wamid: event.wamid, status: event.status, messageId: message.id });
    const change = messageChange(message, event);
    changes.set(message.id, Object.assign(changes.get(message.id) ?? {}, change));
    if (change.wamid !== undefined) {
      message.wamid = change.wamid;
      found.byWamid.set(change.wamid, message);
    }
    if (change.status !== undefined) {
      message.status = change.status;
      applied.push({
        messageId: message.id,
        campaignId: message.campaign_id,
        phone: message.phone,
        status: event.status,
        errorCode: event.error?.code ?? null,
      });
    }
  }
  await markApplied(db, matched);
  await writeMessageChanges(db, changes, now);
  return applied;
}

type MessageRow = Pick<Selectable<MessagesTable>, 'id' | 'campaign_id' | 'phone' | 'status' | 'wamid'>;

interface FoundMessages {
  byWamid: Map<string, MessageRow>;
  byId: Map<number, MessageRow>;
}

const MESSAGE_COLUMNS = ['id', 'campaign_id', 'phone', 'status', 'wamid'] as const;

/** The callback data as our message id, when it is one. */
function callbackId(event: StatusEventInput): number | undefined {
  return event.callbackData !== null && /^\d+$/.test(event.callbackData) ? Number(event.callbackData) : undefined;
}

/** The messages the events name, by wamid, else by the message id in their callback data. */
async function loadMessages(db: Db, events: StatusEventInput[]): Promise<FoundMessages> {
  const found: FoundMessages = { byWamid: new Map(), byId: new Map() };
  const keep = (row: MessageRow) => {
    const known = found.byId.get(row.id) ?? row;
    found.byId.set(row.id, known);
    if (known.wamid !== null) found.byWamid.set(known.wamid, known);
  };
  for (const chunk of inChunks([...new Set(events.map((e) => e.wamid))], 2_000)) {
    for (const row of await db.selectFrom('messages').select(MESSAGE_COLUMNS).where('wamid', 'in', chunk).execute())
      keep(row);
  }
  const ids = new Set<number>();
  for (const event of events) {
    const id = callbackId(event);
    if (id !== undefined && !found.byWamid.has(event.wamid) && !found.byId.has(id)) ids.add(id);
  }
  for (const chunk of inChunks([...ids], 2_000)) {
    for (const row of await db.selectFrom('messages').select(MESSAGE_COLUMNS).where('id', 'in', chunk).execute())
      keep(row);
  }
  return found;
}

function matchMessage(found: FoundMessages, event: StatusEventInput): MessageRow | undefined {
  const byWamid = found.byWamid.get(event.wamid);
  if (byWamid) return byWamid;
  const id = callbackId(event);
  const byId = id === undefined ? undefined : found.byId.get(id);
  // A message carries one wamid; an event naming our id with another wamid belongs to an older attempt.
  return byId && (byId.wamid === null || byId.wamid === event.wamid) ? byId : undefined;
}

/** Marks matched events applied, naming their message. */
async function markApplied(db: Db, matched: { wamid: string; status: string; messageId: number }[]): Promise<void> {
  for (const chunk of inChunks(matched, 2_000)) {
    const values = valuesTable(
      chunk.map((m) => [m.wamid, m.status, m.messageId]),
      ['text', 'text', 'bigint'],
    );
    await sql`update status_events set is_applied = 1, message_id = v.column3
      from ${values}
      where status_events.wamid = v.column1 and status_events.status = v.column2`.execute(db);
  }
}

/** What applying events does to one message's columns (only the keys present are written). */
interface MessageChange {
  wamid?: string;
  sent_at?: number;
  delivered_at?: number;
  read_at?: number;
  failed_at?: number;
  pricing_model?: string | null;
  pricing_category?: string | null;
  billable?: number | null;
  status?: MessageStatus;
  error_code?: number | null;
  error_title?: string | null;
  error_details?: string | null;
}

/** The columns an event changes: its time always, the status only when it moves forward. */
function messageChange(message: MessageRow, event: StatusEventInput): MessageChange {
  const change: MessageChange = { [TIME_COLUMN[event.status]]: event.occurredAt };
  if (message.wamid === null) change.wamid = event.wamid;
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
  return change;
}

// Every column a change may carry, in a fixed order, with its VALUES type.
const CHANGE_COLUMNS: readonly [keyof MessageChange, ValuesColumn][] = [
  ['wamid', 'text'],
  ['sent_at', 'bigint'],
  ['delivered_at', 'bigint'],
  ['read_at', 'bigint'],
  ['failed_at', 'bigint'],
  ['pricing_model', 'text'],
  ['pricing_category', 'text'],
  ['billable', 'bigint'],
  ['status', 'text'],
  ['error_code', 'bigint'],
  ['error_title', 'text'],
  ['error_details', 'text'],
];

/**
 * Writes the net changes, one UPDATE … FROM (VALUES …) per set of changed columns. The status
 * (and the error that comes with it) is written only if it still moves forward in the row as
 * stored, so a concurrent writer on PostgreSQL cannot make it go back.
 */
async function writeMessageChanges(db: Db, changes: Map<number, MessageChange>, now: number): Promise<void> {
  const groups = new Map<string, [number, MessageChange][]>();
  for (const entry of changes) {
    const shape = CHANGE_COLUMNS.map(([column]) => (column in entry[1] ? '1' : '0')).join('');
    const group = groups.get(shape);
    if (group) group.push(entry);
    else groups.set(shape, [entry]);
  }
  for (const entries of groups.values()) {
    const columns = CHANGE_COLUMNS.filter(([column]) => column in (entries[0] as [number, MessageChange])[1]);
    for (const chunk of inChunks(entries, 1_000)) {
      const values = valuesTable(
        chunk.map(([id, change]) => [id, ...columns.map(([column]) => change[column])]),
        ['bigint', ...columns.map(([, type]) => type)],
      );
      const statusAt = columns.findIndex(([column]) => column === 'status');
      const statusValue = statusAt < 0 ? undefined : `v.column${statusAt + 2}`;
      const sets = columns.map(([column], i) => assignment(column, `v.column${i + 2}`, statusValue));
      await sql`update messages set ${sql.join(sets)}, updated_at = ${now}
        from ${values}
        where messages.id = v.column1`.execute(db);
    }
  }
}

const STATUS_ORDINAL = sql.raw(
  `case messages.status ${MESSAGE_STATUSES.map((s) => `when '${s}' then ${ordinal(s)}`).join(' ')} end`,
);

/** The place of a status in the forward order of message-status.ts, as a whole number. */
function ordinal(status: MessageStatus): number {
  return MESSAGE_STATUSES.filter((other) => isForward(other, status)).length;
}

/** `column = value`; status and error columns (which come with a status) only where it still moves forward. */
function assignment(column: keyof MessageChange, value: string, statusValue: string | undefined) {
  const target = sql.ref(column);
  const source = sql.raw(value);
  if (column === 'wamid') return sql`${target} = ${source}, lease_until = null, lease_owner = null`;
  if (statusValue === undefined || (column !== 'status' && !column.startsWith('error_')))
    return sql`${target} = ${source}`;
  const incoming = sql.raw(
    `case ${statusValue} ${MESSAGE_STATUSES.map((s) => `when '${s}' then ${ordinal(s)}`).join(' ')} end`,
  );
  return sql`${target} = case when ${STATUS_ORDINAL} < ${incoming} then ${source} else messages.${target} end`;
}
