import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { type DeliveryStatus, isForward, MESSAGE_STATUSES, type MessageStatus } from '../domain/message-status.ts';
import type { DB, MessagesTable } from './schema.ts';
import { inChunks, type ValuesColumn, valuesTable } from './sql-batch.ts';
import { preparedInTransaction } from './sqlite-prepared.ts';
import type { AppliedStatus, StatusEventInput } from './status-event.ts';

// Applying status events to messages in batches, exactly as if one by one in order: events are
// matched and folded in memory (planStatusChanges), then each message's net change is written
// with one statement per set of changed columns (writeMessageChanges).

type Db = Kysely<DB> | Transaction<DB>;

const TIME_COLUMN: Record<DeliveryStatus, 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at'> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  failed: 'failed_at',
};

/** A message as matching and the forward-only rule see it. */
export type MessageRow = Pick<Selectable<MessagesTable>, 'id' | 'campaign_id' | 'phone' | 'status' | 'wamid'>;

interface FoundMessages {
  byWamid: Map<string, MessageRow>;
  byId: Map<number, MessageRow>;
}

const MESSAGE_COLUMNS = ['id', 'campaign_id', 'phone', 'status', 'wamid'] as const;

/** The callback data as our message id, when it is one. */
export function callbackId(event: StatusEventInput): number | undefined {
  return event.callbackData !== null && /^\d+$/.test(event.callbackData) ? Number(event.callbackData) : undefined;
}

/**
 * The messages the events name, by wamid, else by the message id in their callback data. Our sends
 * carry that id, so the rows are read by primary key first, where a batch's rows lie near each
 * other; the wamid index (random by nature) is read only for events whose id did not lead to a
 * row with their wamid.
 */
export async function loadMessages(db: Db, events: StatusEventInput[]): Promise<MessageRow[]> {
  const found = new Map<number, MessageRow>();
  const readWhereIn = async (column: 'id' | 'wamid', keys: Set<number> | Set<string>) => {
    for (const chunk of inChunks([...keys], 2_000)) {
      const rows = await db.selectFrom('messages').select(MESSAGE_COLUMNS).where(column, 'in', chunk).execute();
      for (const row of rows) found.set(row.id, row);
    }
  };
  const ids = new Set<number>();
  for (const event of events) {
    const id = callbackId(event);
    if (id !== undefined) ids.add(id);
  }
  await readWhereIn('id', ids);
  const wamidsFound = new Set<string>();
  for (const row of found.values()) if (row.wamid !== null) wamidsFound.add(row.wamid);
  await readWhereIn('wamid', new Set(events.map((e) => e.wamid).filter((wamid) => !wamidsFound.has(wamid))));
  return [...found.values()];
}

function matchMessage(found: FoundMessages, event: StatusEventInput): MessageRow | undefined {
  const byWamid = found.byWamid.get(event.wamid);
  if (byWamid) return byWamid;
  const id = callbackId(event);
  const byId = id === undefined ? undefined : found.byId.get(id);
  // A message carries one wamid; an event naming our id with another wamid belongs to an older attempt.
  return byId && (byId.wamid === null || byId.wamid === event.wamid) ? byId : undefined;
}

/** What a batch of events does: which message each matched, the net change per message, and what moved. */
export interface StatusPlan {
  /** Message id per matched event, by eventKey. */
  matched: Map<string, number>;
  changes: Map<number, MessageChange>;
  applied: AppliedStatus[];
}

/** Identifies an event as stored: (wamid, status) is unique. */
export const eventKey = (e: { wamid: string; status: string }) => `${e.status}\u0000${e.wamid}`;

/**
 * Applies events in order to copies of the messages they name, as if one by one: each sees the
 * status and wamid the events before it left. Nothing is written here.
 */
export function planStatusChanges(rows: readonly MessageRow[], events: readonly StatusEventInput[]): StatusPlan {
  const found: FoundMessages = { byWamid: new Map(), byId: new Map() };
  for (const row of rows) {
    const copy = { ...row };
    found.byId.set(copy.id, copy);
    if (copy.wamid !== null) found.byWamid.set(copy.wamid, copy);
  }
  const plan: StatusPlan = { matched: new Map(), changes: new Map(), applied: [] };
  for (const event of events) {
    const message = matchMessage(found, event);
    if (!message) continue;
    plan.matched.set(eventKey(event), message.id);
    const change = messageChange(message, event);
    if (Object.keys(change).length > 0) {
      plan.changes.set(message.id, Object.assign(plan.changes.get(message.id) ?? {}, change));
    }
    if (change.wamid !== undefined) {
      message.wamid = change.wamid;
      found.byWamid.set(change.wamid, message);
    }
    if (change.status !== undefined) {
      message.status = change.status;
      plan.applied.push({
        messageId: message.id,
        campaignId: message.campaign_id,
        phone: message.phone,
        wamid: event.wamid,
        status: event.status,
        errorCode: event.error?.code ?? null,
      });
    }
  }
  return plan;
}

/** What applying events does to one message's columns (only the keys present are written). */
export interface MessageChange {
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

/**
 * The columns an event changes: its time always (a read may come before its delivered), except a
 * failure's, which counts only when the failure is applied: a stale failure after a delivered or
 * read message must not make reports count it as failed. The status moves only forward.
 */
function messageChange(message: MessageRow, event: StatusEventInput): MessageChange {
  const isApplied = isForward(message.status, event.status);
  const change: MessageChange =
    event.status === 'failed' && !isApplied ? {} : { [TIME_COLUMN[event.status]]: event.occurredAt };
  if (message.wamid === null) change.wamid = event.wamid;
  if (event.pricing) {
    change.pricing_model = event.pricing.model;
    change.pricing_category = event.pricing.category;
    change.billable = event.pricing.billable === null ? null : event.pricing.billable ? 1 : 0;
  }
  if (isApplied) {
    change.status = event.status;
    if (event.error) {
      change.error_code = event.error.code;
      change.error_title = event.error.title;
      change.error_details = event.error.details;
    }
  }
  return change;
}

/** A column a change may carry, with its VALUES type. */
type ChangeColumn = readonly [keyof MessageChange, ValuesColumn];

// Every column a change may carry, in a fixed order.
const CHANGE_COLUMNS: readonly ChangeColumn[] = [
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
 * Writes the net changes: on SQLite one prepared UPDATE per message, elsewhere one UPDATE … FROM
 * (VALUES …) per set of changed columns. The status (and the error that comes with it) is written
 * only if it still moves forward in the row as stored, so a concurrent writer on PostgreSQL cannot
 * make it go back.
 */
export async function writeMessageChanges(db: Db, changes: Map<number, MessageChange>, now: number): Promise<void> {
  const sqlite = preparedInTransaction(db);
  const groups = new Map<string, [number, MessageChange][]>();
  for (const entry of changes) {
    const shape = shapeOf(entry[1]);
    const group = groups.get(shape);
    if (group) group.push(entry);
    else groups.set(shape, [entry]);
  }
  for (const [shape, entries] of groups) {
    const columns = changedColumns((entries[0] as [number, MessageChange])[1]);
    if (sqlite) {
      const update = sqlite.prepare(updateOneText(db, shape, columns));
      for (const [id, change] of entries) {
        const values: Record<string, unknown> = { id, now };
        for (const [column] of columns) values[column] = change[column];
        update.run(values);
      }
      continue;
    }
    for (const chunk of inChunks(entries, 1_000)) {
      const values = valuesTable(
        db,
        chunk.map(([id, change]) => [id, ...columns.map(([column]) => change[column])]),
        ['bigint', ...columns.map(([, type]) => type)],
      );
      const sets = assignments(columns, (i) => `v.column${i + 2}`);
      await sql`update messages set ${sql.join(sets)}, updated_at = ${now}
        from ${values}
        where messages.id = v.column1`.execute(db);
    }
  }
}

/** Which columns a change carries, as a key. */
function shapeOf(change: MessageChange): string {
  return CHANGE_COLUMNS.map(([column]) => (column in change ? '1' : '0')).join('');
}

function changedColumns(change: MessageChange): ChangeColumn[] {
  return CHANGE_COLUMNS.filter(([column]) => column in change);
}

// The text of the one-message UPDATE per shape of change: a handful of shapes in practice.
const updateOneTexts = new Map<string, string>();

/** The UPDATE of one message by id, its values bound by name (`@sent_at`, …, `@now`, `@id`). */
function updateOneText(db: Db, shape: string, columns: readonly ChangeColumn[]): string {
  let text = updateOneTexts.get(shape);
  if (text === undefined) {
    const sets = assignments(columns, (_, column) => `@${column}`);
    text = sql`update messages set ${sql.join(sets)}, updated_at = @now where id = @id`.compile(db).sql;
    updateOneTexts.set(shape, text);
  }
  return text;
}

/** The SET list of changed `columns`, each value where `valueAt` says. */
function assignments(columns: readonly ChangeColumn[], valueAt: (i: number, column: keyof MessageChange) => string) {
  const statusAt = columns.findIndex(([column]) => column === 'status');
  const statusValue = statusAt < 0 ? undefined : valueAt(statusAt, 'status');
  return columns.map(([column], i) => assignment(column, valueAt(i, column), statusValue));
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
