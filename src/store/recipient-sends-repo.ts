import { type Kysely, type QueryCreator, sql } from 'kysely';
import type { DB } from './schema.ts';
import { type InsertColumn, inChunks, rowsToInsert } from './sql-batch.ts';
import { insertOneText, runRowByRow } from './sqlite-prepared.ts';

/** When a recipient entered the rolling-24 h count and when they were last sent to. */
export interface RecipientSend {
  windowStartedAt: number;
  lastSentAt: number;
}

/** The recipient records of these phones for one sender. */
export async function loadRecipientSends(
  db: Kysely<DB>,
  senderId: string,
  phones: string[],
): Promise<Map<string, RecipientSend>> {
  const found = new Map<string, RecipientSend>();
  if (phones.length === 0) return found;
  const rows = await db
    .selectFrom('recipient_sends')
    .select(['phone', 'window_started_at', 'last_sent_at'])
    .where('sender_id', '=', senderId)
    .where('phone', 'in', phones)
    .execute();
  for (const r of rows) found.set(r.phone, { windowStartedAt: r.window_started_at, lastSentAt: r.last_sent_at });
  return found;
}

/** Unique recipients counted since `since`, and when the oldest of them leaves the window. */
export async function countRecipientsSince(
  db: Kysely<DB>,
  senderId: string,
  since: number,
): Promise<{ count: number; oldestAt: number | null }> {
  const row = await db
    .selectFrom('recipient_sends')
    .select([sql<number>`count(*)`.as('n'), sql<number | null>`min(window_started_at)`.as('oldest')])
    .where('sender_id', '=', senderId)
    .where('window_started_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldestAt: row.oldest === null ? null : Number(row.oldest) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Records sends to recipients: the last send moves forward, and a recipient whose window began
 * over 24 h before this send starts a new one (counted again).
 */
export async function upsertRecipientSends(db: Kysely<DB>, rows: RecipientSendRow[]): Promise<void> {
  if (runRowByRow(db, UPSERT_ONE, inColumnOrder(rows))) return;
  for (const chunk of inChunks(rows, 2_000)) await recipientSendsUpsert(db, chunk, db).execute();
}

/** A row of recipient_sends as written. */
export interface RecipientSendRow {
  sender_id: string;
  phone: string;
  window_started_at: number;
  last_sent_at: number;
}

const RECIPIENT_SEND_COLUMNS = [
  ['sender_id', 'text'],
  ['phone', 'text'],
  ['window_started_at', 'bigint'],
  ['last_sent_at', 'bigint'],
] as const satisfies readonly InsertColumn<keyof RecipientSendRow>[];

/** Each row's values in RECIPIENT_SEND_COLUMNS' order. */
function inColumnOrder(rows: RecipientSendRow[]): unknown[][] {
  return rows.map((row) => RECIPIENT_SEND_COLUMNS.map(([column]) => row[column]));
}

/**
 * The upsert of upsertRecipientSends as one statement, for a caller that adds to it (at most 2,000
 * rows); `store` says which database it is written for.
 */
export function recipientSendsUpsert(
  db: QueryCreator<DB>,
  rows: RecipientSendRow[],
  store: Pick<Kysely<DB>, 'getExecutor'>,
) {
  return db
    .insertInto('recipient_sends')
    .columns(RECIPIENT_SEND_COLUMNS.map(([column]) => column))
    .expression(rowsToInsert(store, inColumnOrder(rows), RECIPIENT_SEND_COLUMNS))
    .onConflict((oc) =>
      oc.columns(['sender_id', 'phone']).doUpdateSet({
        last_sent_at: sql.raw(LAST_SENT_AT),
        window_started_at: sql.raw(WINDOW_STARTED_AT),
      }),
    );
}

// The last send moves forward; a window begun over 24 h before this send starts again.
const LAST_SENT_AT =
  'case when excluded.last_sent_at > recipient_sends.last_sent_at then excluded.last_sent_at else recipient_sends.last_sent_at end';
const WINDOW_STARTED_AT = `case when recipient_sends.window_started_at < excluded.window_started_at - ${DAY_MS} then excluded.window_started_at else recipient_sends.window_started_at end`;

/** The upsert of one row, prepared on SQLite (sqlite-prepared.ts). */
const UPSERT_ONE = insertOneText(
  'recipient_sends',
  RECIPIENT_SEND_COLUMNS,
  `on conflict (sender_id, phone) do update set last_sent_at = ${LAST_SENT_AT}, window_started_at = ${WINDOW_STARTED_AT}`,
);
