import type { Kysely } from 'kysely';
import type { DB, SendersTable } from './schema.ts';

/** A sender as the dispatcher uses it. */
export interface Sender {
  id: string;
  phoneNumberId: string;
  businessAccountId: string;
  ratePerSec: number;
  dailyLimit: number;
  pausedReason: string | null;
}

/** Creates or refreshes a sender from configuration (limits follow the environment at each start). */
export async function upsertSender(db: Kysely<DB>, sender: Omit<Sender, 'pausedReason'>, now: number): Promise<void> {
  const values = {
    id: sender.id,
    phone_number_id: sender.phoneNumberId,
    business_account_id: sender.businessAccountId,
    rate_per_sec: sender.ratePerSec,
    daily_limit: sender.dailyLimit,
    updated_at: now,
  };
  await db
    .insertInto('senders')
    .values({ ...values, paused_reason: null })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** One sender by id. */
export async function getSender(db: Kysely<DB>, id: string): Promise<Sender | undefined> {
  const row = await db.selectFrom('senders').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toSender(row) : undefined;
}

/** Pauses (reason) or resumes (null) a whole sender. */
export async function setSenderPaused(db: Kysely<DB>, id: string, reason: string | null, now: number): Promise<void> {
  await db.updateTable('senders').set({ paused_reason: reason, updated_at: now }).where('id', '=', id).execute();
}

function toSender(row: SendersTable): Sender {
  return {
    id: row.id,
    phoneNumberId: row.phone_number_id,
    businessAccountId: row.business_account_id,
    ratePerSec: row.rate_per_sec,
    dailyLimit: row.daily_limit,
    pausedReason: row.paused_reason,
  };
}
