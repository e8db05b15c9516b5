import type { Kysely, Selectable } from 'kysely';
import type { DB, SenderPausedBy, SendersTable } from './schema.ts';

/** A sender as stored: its number, limits, state, and sealed credentials (never plain). */
export interface Sender {
  id: string;
  name: string;
  phoneNumberId: string;
  businessAccountId: string;
  ratePerSec: number;
  dailyLimit: number;
  pausedReason: string | null;
  pausedBy: SenderPausedBy | null;
  pausedAt: number | null;
  credentialsHash: string | null;
  /** Sealed with the process key; null for the default sender, whose credentials come from WA_*. */
  accessTokenSealed: string | null;
  appSecretSealed: string | null;
  isSandbox: boolean;
  /** The number as Meta last described it, or null fields until first read. */
  health: SenderHealth;
  createdAt: number;
  updatedAt: number;
}

/** A sender's number as Meta last described it, and when (or why the read failed). */
export interface SenderHealth {
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
  throughputLevel: string | null;
  messagingLimitTier: string | null;
  checkedAt: number | null;
  error: string | null;
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
    deleted_at: null,
    updated_at: now,
  };
  await db
    .insertInto('senders')
    .values({ ...values, paused_reason: null, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** A sender added through the API or CLI, with its credentials already sealed. */
export type NewSender = Pick<
  Sender,
  | 'id'
  | 'name'
  | 'phoneNumberId'
  | 'businessAccountId'
  | 'ratePerSec'
  | 'dailyLimit'
  | 'accessTokenSealed'
  | 'appSecretSealed'
  | 'isSandbox'
>;

/** Stores a new sender. */
export async function insertSender(db: Kysely<DB>, sender: NewSender, now: number): Promise<void> {
  await db
    .insertInto('senders')
    .values({
      id: sender.id,
      name: sender.name,
      phone_number_id: sender.phoneNumberId,
      business_account_id: sender.businessAccountId,
      rate_per_sec: sender.ratePerSec,
      daily_limit: sender.dailyLimit,
      access_token_sealed: sender.accessTokenSealed,
      app_secret_sealed: sender.appSecretSealed,
      is_sandbox: sender.isSandbox ? 1 : 0,
      paused_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** The fields a person may change on a sender. */
export type SenderChanges = Partial<
  Pick<
    Sender,
    | 'name'
    | 'phoneNumberId'
    | 'businessAccountId'
    | 'ratePerSec'
    | 'dailyLimit'
    | 'accessTokenSealed'
    | 'appSecretSealed'
  >
>;

/** Changes some fields of a stored sender. */
export async function updateSender(db: Kysely<DB>, id: string, changes: SenderChanges, now: number): Promise<void> {
  await db
    .updateTable('senders')
    .set({
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.phoneNumberId === undefined ? {} : { phone_number_id: changes.phoneNumberId }),
      ...(changes.businessAccountId === undefined ? {} : { business_account_id: changes.businessAccountId }),
      ...(changes.ratePerSec === undefined ? {} : { rate_per_sec: changes.ratePerSec }),
      ...(changes.dailyLimit === undefined ? {} : { daily_limit: changes.dailyLimit }),
      ...(changes.accessTokenSealed === undefined ? {} : { access_token_sealed: changes.accessTokenSealed }),
      ...(changes.appSecretSealed === undefined ? {} : { app_secret_sealed: changes.appSecretSealed }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Records what Meta said of a sender's number; a failed read keeps what was known and says why. */
export async function recordSenderHealth(
  db: Kysely<DB>,
  id: string,
  read: { info: Omit<SenderHealth, 'checkedAt' | 'error'> } | { error: string },
  now: number,
): Promise<void> {
  const values =
    'error' in read
      ? { health_error: read.error }
      : {
          display_phone_number: read.info.displayPhoneNumber,
          verified_name: read.info.verifiedName,
          quality_rating: read.info.qualityRating,
          throughput_level: read.info.throughputLevel,
          messaging_limit_tier: read.info.messagingLimitTier,
          health_error: null,
        };
  await db
    .updateTable('senders')
    .set({ ...values, health_checked_at: now })
    .where('id', '=', id)
    .execute();
}

/** Removes a sender from use; its row stays for its campaigns' history. */
export async function markSenderDeleted(db: Kysely<DB>, id: string, now: number): Promise<void> {
  await db.updateTable('senders').set({ deleted_at: now, updated_at: now }).where('id', '=', id).execute();
}

/** One sender in use by id (a removed one is not found). */
export async function getSender(db: Kysely<DB>, id: string): Promise<Sender | undefined> {
  const row = await db
    .selectFrom('senders')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toSender(row) : undefined;
}

/** Whether any sender, in use or removed, has this id (ids are never reused). */
export async function isSenderIdTaken(db: Kysely<DB>, id: string): Promise<boolean> {
  return (await db.selectFrom('senders').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** Every sender in use, by id. */
export async function listSenders(db: Kysely<DB>): Promise<Sender[]> {
  const rows = await db.selectFrom('senders').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
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
    name: row.name ?? row.id,
    phoneNumberId: row.phone_number_id,
    businessAccountId: row.business_account_id,
    ratePerSec: row.rate_per_sec,
    dailyLimit: row.daily_limit,
    pausedReason: row.paused_reason,
    pausedBy: row.paused_by,
    pausedAt: row.paused_at,
    credentialsHash: row.credentials_hash,
    accessTokenSealed: row.access_token_sealed,
    appSecretSealed: row.app_secret_sealed,
    isSandbox: row.is_sandbox === 1,
    health: {
      displayPhoneNumber: row.display_phone_number,
      verifiedName: row.verified_name,
      qualityRating: row.quality_rating,
      throughputLevel: row.throughput_level,
      messagingLimitTier: row.messaging_limit_tier,
      checkedAt: row.health_checked_at,
      error: row.health_error,
    },
    createdAt: Number(row.created_at),
    updatedAt: row.updated_at,
  };
}
