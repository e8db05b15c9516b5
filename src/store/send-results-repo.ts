import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import type { DB, MessageAttemptsTable } from './schema.ts';
import { type AppliedStatus, applyWaitingEvents } from './status-events-repo.ts';

/** One attempt as recorded in message_attempts. */
export type AttemptRecord = Omit<Insertable<MessageAttemptsTable>, 'id' | 'message_id'>;

/** What the dispatcher decided after one send attempt. */
export type SendResult =
  | {
      kind: 'accepted';
      messageId: number;
      senderId: string;
      phone: string;
      wamid: string;
      at: number;
      attempt: AttemptRecord;
    }
  | { kind: 'retry'; messageId: number; nextAttemptAt: number; reason: string; attempt: AttemptRecord }
  | {
      kind: 'failed';
      messageId: number;
      at: number;
      error: { code: number | null; title: string; details: string | null };
      attempt: AttemptRecord;
    }
  /** The request may have been taken: keep the row `sending` until a webhook names it or the lease runs out. */
  | { kind: 'unknown'; messageId: number; senderId: string; phone: string; leaseUntil: number; attempt: AttemptRecord };

/** Records a batch of send results in one transaction, and applies webhooks that arrived first. */
export async function recordSendResults(db: Kysely<DB>, results: SendResult[], now: number): Promise<AppliedStatus[]> {
  if (results.length === 0) return [];
  return db.transaction().execute(async (tx) => {
    for (const result of results) await recordOne(tx, result, now);
    await recordRecipientSends(tx, results);
    const wamids = results.flatMap((r) => (r.kind === 'accepted' ? [r.wamid] : []));
    return applyWaitingEvents(tx, wamids, now);
  });
}

async function recordOne(tx: Transaction<DB>, result: SendResult, now: number): Promise<void> {
  await tx
    .insertInto('message_attempts')
    .values({ ...result.attempt, message_id: result.messageId })
    .execute();
  const row = tx.updateTable('messages').where('id', '=', result.messageId);
  switch (result.kind) {
    case 'accepted':
      // A webhook may have moved the row on already: keep its status and wamid, only fill gaps.
      await row
        .set({
          status: sql`case when status in ('pending', 'sending') then 'accepted' else status end`,
          wamid: sql`coalesce(wamid, ${result.wamid})`,
          accepted_at: result.at,
          lease_until: null,
          lease_owner: null,
          status_reason: null,
          updated_at: now,
        })
        .execute();
      return;
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

const DAY_MS = 24 * 60 * 60 * 1000;

/** Notes each recipient reached (or possibly reached) for the rolling-24 h cap and the pair-rate gap. */
async function recordRecipientSends(tx: Transaction<DB>, results: SendResult[]): Promise<void> {
  for (const r of results) {
    if (r.kind !== 'accepted' && r.kind !== 'unknown') continue;
    const at = r.attempt.started_at;
    await tx
      .insertInto('recipient_sends')
      .values({ sender_id: r.senderId, phone: r.phone, window_started_at: at, last_sent_at: at })
      .onConflict((oc) =>
        oc.columns(['sender_id', 'phone']).doUpdateSet({
          last_sent_at: sql`case when excluded.last_sent_at > recipient_sends.last_sent_at then excluded.last_sent_at else recipient_sends.last_sent_at end`,
          window_started_at: sql`case when recipient_sends.window_started_at < excluded.last_sent_at - ${DAY_MS} then excluded.last_sent_at else recipient_sends.window_started_at end`,
        }),
      )
      .execute();
  }
}
