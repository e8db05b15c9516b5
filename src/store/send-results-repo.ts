import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { SENDS_CODE } from '../domain/quality-guard.ts';
import { addCampaignOutcomes, type OutcomeCount } from './campaign-outcomes-repo.ts';
import { upsertRecipientSends } from './recipient-sends-repo.ts';
import type { DB, MessageAttemptsTable } from './schema.ts';
import { type InsertColumn, inChunks, rowsToInsert, valuesTable } from './sql-batch.ts';
import { insertOneText, runRowByRow } from './sqlite-prepared.ts';
import { type AppliedStatus, applyWaitingEvents } from './status-events-repo.ts';

/** One attempt as recorded in message_attempts. */
export type AttemptRecord = Omit<Insertable<MessageAttemptsTable>, 'id' | 'message_id'>;

/** What the dispatcher decided after one send attempt. */
export type SendResult = { messageId: number; campaignId: number; attempt: AttemptRecord } & (
  | {
      kind: 'accepted';
      senderId: string;
      phone: string;
      wamid: string;
      at: number;
    }
  | { kind: 'retry'; nextAttemptAt: number; reason: string }
  | {
      kind: 'failed';
      at: number;
      /** Why it failed in words, shown as the message's status_reason. */
      reason: string;
      error: { code: number | null; title: string; details: string | null };
    }
  /** The request may have been taken: keep the row `sending` until a webhook names it or the lease runs out. */
  | { kind: 'unknown'; senderId: string; phone: string; leaseUntil: number }
);

/**
 * Records a batch of send results in one transaction, and applies webhooks that arrived first.
 * The common case, `accepted`, is written a chunk at a time: the dispatcher records thousands a second.
 */
export async function recordSendResults(db: Kysely<DB>, results: SendResult[], now: number): Promise<AppliedStatus[]> {
  if (results.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    await insertAttempts(tx, results);
    const accepted: AcceptedResult[] = [];
    for (const result of results) {
      if (result.kind === 'accepted') accepted.push(result);
      else await recordOne(tx, result, now);
    }
    await markAccepted(tx, accepted, now);
    await recordRecipientSends(tx, results);
    await addCampaignOutcomes(tx, results.flatMap(toOutcomeCounts));
    return applyWaitingEvents(
      tx,
      accepted.map((r) => r.wamid),
      now,
    );
  });
}

type AcceptedResult = Extract<SendResult, { kind: 'accepted' }>;

/** An answered attempt counts as a send for the quality guard, and its error code as a failure. */
function toOutcomeCounts(result: SendResult): OutcomeCount[] {
  const { campaignId, attempt } = result;
  const send = { campaignId, at: attempt.finished_at, code: SENDS_CODE };
  const code = attempt.error_code;
  return code === null || code === undefined ? [send] : [send, { campaignId, at: attempt.finished_at, code }];
}

// Rows an insert takes at most: one statement's arrays (PostgreSQL) or JSON (SQLite) stay a bounded size.
const ATTEMPT_ROWS_PER_INSERT = 1_000;

const ATTEMPT_COLUMNS = [
  ['message_id', 'bigint'],
  ['attempt', 'bigint'],
  ['started_at', 'bigint'],
  ['finished_at', 'bigint'],
  ['outcome', 'text'],
  ['wamid', 'text'],
  ['error_class', 'text'],
  ['error_code', 'bigint'],
  ['error_subcode', 'bigint'],
  ['error_title', 'text'],
  ['fbtrace_id', 'text'],
  ['http_status', 'bigint'],
] as const satisfies readonly InsertColumn<keyof Insertable<MessageAttemptsTable>>[];

/** Every attempt: prepared row by row on SQLite, a multi-row insert per chunk elsewhere. */
async function insertAttempts(tx: Transaction<DB>, results: SendResult[]): Promise<void> {
  const rows = results.map(({ messageId, attempt }) =>
    ATTEMPT_COLUMNS.map(([column]) => (column === 'message_id' ? messageId : (attempt[column] ?? null))),
  );
  if (runRowByRow(tx, INSERT_ATTEMPT, rows)) return;
  const columns = ATTEMPT_COLUMNS.map(([column]) => column);
  for (const chunk of inChunks(rows, ATTEMPT_ROWS_PER_INSERT))
    await tx
      .insertInto('message_attempts')
      .columns(columns)
      .expression(rowsToInsert(tx, chunk, ATTEMPT_COLUMNS))
      .execute();
}

const INSERT_ATTEMPT = insertOneText('message_attempts', ATTEMPT_COLUMNS);

/**
 * Accepted sends leave the queue. A webhook may have moved a row on already: its status and
 * wamid are kept, only gaps are filled.
 */
async function markAccepted(tx: Transaction<DB>, accepted: AcceptedResult[], now: number): Promise<void> {
  const rows = accepted.map((r) => [r.wamid, r.at, now, r.messageId]);
  if (runRowByRow(tx, ACCEPT_ONE, rows)) return;
  for (const chunk of inChunks(accepted, 2_000)) {
    const values = valuesTable(
      tx,
      chunk.map((r) => [r.messageId, r.wamid, r.at]),
      ['bigint', 'text', 'bigint'],
    );
    await sql`update messages set ${sql.raw(acceptedSets('v.column2', 'v.column3'))}, updated_at = ${now}
      from ${values}
      where messages.id = v.column1`.execute(tx);
  }
}

/** The columns an accepted send sets, its wamid and time taken from where `wamid` and `at` say. */
function acceptedSets(wamid: string, at: string): string {
  return `status = case when messages.status in ('pending', 'sending') then 'accepted' else messages.status end,
    wamid = coalesce(messages.wamid, ${wamid}),
    accepted_at = ${at},
    lease_until = null,
    lease_owner = null,
    status_reason = null`;
}

// In the order markAccepted binds a row: wamid, accepted at, now, message id.
const ACCEPT_ONE = `update messages set ${acceptedSets('?', '?')}, updated_at = ? where id = ?`;

/** A result other than `accepted` (rare: retries, failures, unknown outcomes), one statement each. */
async function recordOne(
  tx: Transaction<DB>,
  result: Exclude<SendResult, { kind: 'accepted' }>,
  now: number,
): Promise<void> {
  const row = tx.updateTable('messages').where('id', '=', result.messageId);
  switch (result.kind) {
    case 'retry':
      await row
        .where('status', '=', 'sending')
        .set({
          status: 'pending',
          next_attempt_at: result.nextAttemptAt,
          status_reason: result.reason,
          lease_until: null,
          lease_owner: null,
          updated_at: now,
        })
        .execute();
      return;
    case 'failed':
      await row
        .where('status', 'in', ['pending', 'sending'])
        .set({
          status: 'failed',
          status_reason: result.reason,
          failed_at: result.at,
          error_code: result.error.code,
          error_title: result.error.title,
          error_details: result.error.details,
          lease_until: null,
          lease_owner: null,
          updated_at: now,
        })
        .execute();
      return;
    case 'unknown':
      await row
        .where('status', '=', 'sending')
        .set({
          lease_until: result.leaseUntil,
          // No owner: the row is reconciling, so its expiry returns it to the queue (outbox-repo.ts).
          lease_owner: null,
          status_reason: 'outcome unknown: waiting for a webhook',
          updated_at: now,
        })
        .execute();
      return;
  }
}

/**
 * Notes each recipient reached (or possibly reached) for the rolling-24 h cap and the pair-rate gap,
 * one upsert per chunk. A phone twice in one batch is folded first (PostgreSQL refuses to upsert
 * a row twice in one statement): its window may start at the earliest send, its last send is the latest.
 */
async function recordRecipientSends(tx: Transaction<DB>, results: SendResult[]): Promise<void> {
  const byRecipient = new Map<
    string,
    { sender_id: string; phone: string; window_started_at: number; last_sent_at: number }
  >();
  for (const r of results) {
    if (r.kind !== 'accepted' && r.kind !== 'unknown') continue;
    const at = r.attempt.started_at;
    const key = `${r.senderId}\u0000${r.phone}`;
    const seen = byRecipient.get(key);
    if (seen === undefined)
      byRecipient.set(key, { sender_id: r.senderId, phone: r.phone, window_started_at: at, last_sent_at: at });
    else {
      seen.window_started_at = Math.min(seen.window_started_at, at);
      seen.last_sent_at = Math.max(seen.last_sent_at, at);
    }
  }
  await upsertRecipientSends(tx, [...byRecipient.values()]);
}
