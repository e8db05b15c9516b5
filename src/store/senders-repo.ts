import type { Kysely, Selectable } from 'kysely';
import type { DB, SenderPausedBy, SendersTable } from './schema.ts';

/** A sender as the dispatcher uses it. */
export interface Sender {
  id: string;
  phoneNumberId: string;
  businessAccountId: string;
  ratePerSec: number;
  dailyLimit: number;
  pausedReason: string | null;
  pausedBy: SenderPausedBy | null;
  pausedAt: number | null;
  credentialsHash: string | null;
  updatedAt: number;
}

/** What configuration says of a sender; its pause is kept across restarts, and its credentials' hash unless given. */
export type ConfiguredSender = Pick<
  Sender,
  'id' | 'phoneNumberId' | 'businessAccountId' | 'ratePerSec' | 'dailyLimit'
> & {
  credentialsHash?: string;
};

/** Creates or refreshes a sender from configuration (limits and credentials follow the environment at each start). */
export async function upsertSender(db: Kysely<DB>, sender: ConfiguredSender, now: number): Promise<void> {
  const values = {
    id: sender.id,
    phone_number_id: sender.phoneNumberId,
    business_account_id: sender.businessAccountId,
    rate_per_sec: sender.ratePerSec,
    daily_limit: sender.dailyLimit,
    ...(sender.credentialsHash === undefined ? {} : { credentials_hash: sender.credentialsHash }),
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

/** Every sender, by id. */
export async function listSenders(db: Kysely<DB>): Promise<Sender[]> {
  const rows = await db.selectFrom('senders').selectAll().orderBy('id').execute();
  return rows.map(toSender);
}

/** Pauses a whole sender with a reason and who paused it; answers whether the sender exists. */
export async function pauseSender(
  db: Kysely<DB>,
  id: string,
  pause: { reason: string; by: SenderPausedBy },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('senders')
    .set({ paused_reason: pause.reason, paused_by: pause.by, paused_at: now, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Lets a sender send again; answers whether the sender exists. */
export async function resumeSender(db: Kysely<DB>, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('senders')
    .set({ paused_reason: null, paused_by: null, paused_at: null, updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function toSender(row: Selectable<SendersTable>): Sender {
  return {
    id: row.id,
    phoneNumberId: row.phone_number_id,
    businessAccountId: row.business_account_id,
    ratePerSec: row.rate_per_sec,
    dailyLimit: row.daily_limit,
    pausedReason: row.paused_reason,
    pausedBy: row.paused_by,
    pausedAt: row.paused_at,
    credentialsHash: row.credentials_hash,
    updatedAt: row.updated_at,
  };
}
