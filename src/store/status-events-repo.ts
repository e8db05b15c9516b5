import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { isErasedStandIn } from '../domain/erased-recipient.ts';
import type { DB, StatusEventsTable } from './schema.ts';
import { type InsertColumn, inChunks, rowsToInsert, valuesTable } from './sql-batch.ts';
import { insertOneText, type PreparingSqlite, preparedInTransaction } from './sqlite-prepared.ts';
import {
  callbackId,
  eventKey,
  loadMessages,
  type MessageRow,
  planStatusChanges,
  type StatusPlan,
  writeMessageChanges,
} from './status-changes.ts';
import type { AppliedStatus, StatusEventInput } from './status-event.ts';

// Status webhooks are idempotent and order-free (DESIGN.md): each (wamid, status) is stored once,
// a message's status only moves forward, and an event that beats the send's answer waits, stored,
// until the send is recorded. An event is unique under its message once matched, (message_id,
// wamid, status), and on (wamid, status) while it waits (migration 0006): the first key keeps a
// message's events together in the index. A (wamid, status) could be stored under both only if
// its message moved to another wamid between two deliveries of the event, a second send Meta
// accepted; the copy then waits for good and changes nothing.

export type { AppliedStatus, StatusEventInput } from './status-event.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Stores new events once and applies each to its message; duplicates change nothing. A batch
 * costs a handful of statements, not a few per event: webhooks bring thousands of events a second.
 * Matches are worked out before the insert, so an event is stored already applied; only when a
 * repeat turns out to be stored already is the plan made again without it.
 */
export async function recordStatusEvents(db: Db, events: StatusEventInput[], now: number): Promise<AppliedStatus[]> {
  if (events.length === 0) return [];
  // Its statements stand or fall together (and on SQLite only a transaction runs them prepared).
  if (!db.isTransaction) return db.transaction().execute((tx) => recordStatusEvents(tx, events, now));
  // Oldest first, so each message's time columns and status settle in one pass.
  const ordered = [...events].sort((a, b) => a.occurredAt - b.occurredAt);
  const firsts = firstOfEach(ordered);
  const rows = await loadMessages(db, firsts);
  const candidates = withoutErased(firsts, rows);
  let plan = planStatusChanges(rows, candidates);
  const inserted = await insertEvents(db, candidates, plan, now);
  if (inserted.size < candidates.length) {
    const fresh = candidates.filter((event) => inserted.has(eventKey(event)));
    const replanned = planStatusChanges(rows, fresh);
    const corrections = fresh.filter((e) => replanned.matched.get(eventKey(e)) !== plan.matched.get(eventKey(e)));
    await moveEvents(
      db,
      corrections.map((e) => ({
        wamid: e.wamid,
        status: e.status,
        from: plan.matched.get(eventKey(e)) ?? null,
        to: replanned.matched.get(eventKey(e)) ?? null,
      })),
    );
    plan = replanned;
  }
  await writeMessageChanges(db, plan.changes, now);
  return plan.applied;
}

/**
 * Leaves out the events of an erased person's messages, unstored: their payload names the number,
 * and the person's message rows keep the statuses they had when erased (docs/data-rights.md).
 */
function withoutErased(events: StatusEventInput[], rows: readonly MessageRow[]): StatusEventInput[] {
  const erased = rows.filter((row) => isErasedStandIn(row.phone));
  if (erased.length === 0) return events;
  const ids = new Set(erased.map((row) => row.id));
  const wamids = new Set(erased.flatMap((row) => (row.wamid === null ? [] : [row.wamid])));
  return events.filter((event) => !wamids.has(event.wamid) && !ids.has(callbackId(event) ?? -1));
}

/** The first of each (wamid, status) in order: a repeat within one batch is a duplicate too. */
function firstOfEach(ordered: StatusEventInput[]): StatusEventInput[] {
  const firsts = new Map<string, StatusEventInput>();
  for (const event of ordered) if (!firsts.has(eventKey(event))) firsts.set(eventKey(event), event);
  return [...firsts.values()];
}

// Rows an insert takes at most: one statement's arrays (PostgreSQL) or JSON (SQLite) stay a bounded size.
const EVENT_ROWS_PER_INSERT = 1_000;

const EVENT_COLUMNS = [
  ['wamid', 'text'],
  ['status', 'text'],
  ['callback_data', 'text'],
  ['message_id', 'bigint'],
  ['occurred_at', 'bigint'],
  ['received_at', 'bigint'],
  ['payload', 'text'],
] as const satisfies readonly InsertColumn<keyof Insertable<StatusEventsTable>>[];

/** Inserts the events not stored yet, applied if the plan matched them; answers the keys inserted. */
async function insertEvents(db: Db, events: StatusEventInput[], plan: StatusPlan, now: number): Promise<Set<string>> {
  // In EVENT_COLUMNS' order.
  const rows = events.map((event) => [
    event.wamid,
    event.status,
    event.callbackData,
    plan.matched.get(eventKey(event)) ?? null,
    event.occurredAt,
    now,
    JSON.stringify(event),
  ]);
  const sqlite = preparedInTransaction(db);
  return sqlite ? insertEventsPrepared(sqlite, rows) : insertEventsInChunks(db, rows);
}

// Either key: (message_id, wamid, status) for a matched event, (wamid, status) for a waiting one.
const INSERT_EVENT = insertOneText('status_events', EVENT_COLUMNS, 'on conflict do nothing');

function insertEventsPrepared(sqlite: PreparingSqlite, rows: unknown[][]): Set<string> {
  const insert = sqlite.prepare(INSERT_EVENT);
  const inserted = new Set<string>();
  for (const row of rows)
    if (insert.run(row).changes > 0) inserted.add(eventKey({ wamid: row[0] as string, status: row[1] as string }));
  return inserted;
}

async function insertEventsInChunks(db: Db, rows: unknown[][]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const chunk of inChunks(rows, EVENT_ROWS_PER_INSERT)) {
    const stored = await db
      .insertInto('status_events')
      .columns(EVENT_COLUMNS.map(([column]) => column))
      .expression(rowsToInsert(db, chunk, EVENT_COLUMNS))
      .onConflict((oc) => oc.doNothing())
      .returning(['wamid', 'status'])
      .execute();
    for (const row of stored) inserted.add(eventKey(row));
  }
  return inserted;
}

/** Applies stored events that were waiting for these wamids (the send's answer came after them). */
export async function applyWaitingEvents(db: Db, wamids: string[], now: number): Promise<AppliedStatus[]> {
  if (wamids.length === 0) return [];
  const events: StatusEventInput[] = [];
  for (const chunk of inChunks(wamids, 2_000)) {
    // Literally `message_id is null`, so the partial index of waiting events serves the query.
    const waiting = await db
      .selectFrom('status_events')
      .select('payload')
      .where('message_id', 'is', null)
      .where('wamid', 'in', chunk)
      .execute();
    for (const row of waiting) events.push(JSON.parse(row.payload) as StatusEventInput);
  }
  if (events.length === 0) return [];
  // Oldest first, as recordStatusEvents folds them: the index gives them in key order, not in time.
  events.sort((a, b) => a.occurredAt - b.occurredAt);
  const plan = planStatusChanges(await loadMessages(db, events), events);
  await moveEvents(
    db,
    events.flatMap((e) => {
      const messageId = plan.matched.get(eventKey(e));
      return messageId === undefined ? [] : [{ wamid: e.wamid, status: e.status, from: null, to: messageId }];
    }),
  );
  await writeMessageChanges(db, plan.changes, now);
  return plan.applied;
}

/** A stored event to move from the message it is stored under (null: waiting) to another, or back to waiting. */
interface EventMove {
  wamid: string;
  status: string;
  from: number | null;
  to: number | null;
}

/**
 * Moves stored events between messages and waiting. Each row is found under the key it is stored
 * by, so a partial index serves every lookup; a move whose new key is taken already is left out
 * rather than failing the batch (the stored copy stands for the event).
 */
async function moveEvents(db: Db, moves: EventMove[]): Promise<void> {
  for (const isWaiting of [true, false]) {
    const group = moves.filter((m) => (m.from === null) === isWaiting);
    for (const chunk of inChunks(group, 2_000)) {
      const values = valuesTable(
        db,
        chunk.map((m) => [m.wamid, m.status, m.to, m.from]),
        ['text', 'text', 'bigint', 'bigint'],
      );
      const storedUnder = isWaiting ? sql`status_events.message_id is null` : sql`status_events.message_id = v.column4`;
      await sql`update status_events set message_id = v.column3
        from ${values}
        where ${storedUnder} and status_events.wamid = v.column1 and status_events.status = v.column2
          and not exists (select 1 from status_events taken
            where taken.wamid = v.column1 and taken.status = v.column2
              and (taken.message_id = v.column3 or (v.column3 is null and taken.message_id is null)))`.execute(db);
    }
  }
}
