import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { listCampaignsByStatus } from '../store/campaigns-repo.ts';
import type { DB, SenderPausedBy } from '../store/schema.ts';
import {
  type ConfiguredSender,
  getSender,
  insertSender,
  isSenderIdTaken,
  listSenders,
  markSenderDeleted,
  pauseSender,
  resumeSender,
  type Sender,
  updateSender,
  upsertSender,
} from '../store/senders-repo.ts';
import type { CredentialBox } from './credential-box.ts';
import { iso } from './iso-time.ts';
import type { SenderInput, SenderPatch } from './sender-input.ts';

/** The sender the WA_* variables describe. */
export const DEFAULT_SENDER_ID = 'default';

/** A sender as the API shows it: limits and state, never its credentials. */
export interface SenderView {
  id: string;
  name: string;
  provider: 'cloud-api';
  phone_number_id: string;
  business_account_id: string;
  access_token: 'set';
  app_secret: 'set' | null;
  /** Where its credentials and limits come from: the WA_* variables, or the API. */
  configured_by: 'environment' | 'api';
  is_sandbox: boolean;
  mps: number;
  daily_limit: number;
  status: 'active' | 'paused';
  status_reason: string | null;
  paused_by: SenderPausedBy | null;
  paused_at: string | null;
  /** The number as Meta last described it: display number, quality (GREEN/YELLOW/RED), throughput level, messaging tier. */
  display_phone_number: string | null;
  verified_name: string | null;
  quality_rating: string | null;
  throughput_level: string | null;
  messaging_limit_tier: string | null;
  health_checked_at: string | null;
  /** Why the last read of the number failed, or null. */
  health_error: string | null;
  created_at: string;
  updated_at: string;
}

/** A new number on the sandbox's simulator, with the credentials it accepts. */
export interface SandboxNumber {
  phoneNumberId: string;
  businessAccountId: string;
  accessToken: string;
  appSecret: string;
}

/** What creating and changing senders needs beside the database. */
export interface SenderAdmin {
  box: CredentialBox;
  /** In sandbox mode: puts a new number on the built-in simulator, for a sender given no credentials. */
  provisionSandboxNumber?: (limits: { mps: number; dailyLimit: number }) => Promise<SandboxNumber>;
}

/** Identifies the credentials a sender runs with, without storing them: a change lifts an auth pause. */
export function credentialsFingerprint(parts: {
  graphUrl: string;
  phoneNumberId: string;
  accessToken: string;
}): string {
  return createHash('sha256')
    .update(`${parts.graphUrl}\u0000${parts.phoneNumberId}\u0000${parts.accessToken}`)
    .digest('hex');
}

/**
 * Stores a sender as configuration describes it at start. A sender paused by an authentication
 * failure is let go again when its credentials changed since: its next send tells, and pauses it
 * again if they still fail. Answers the sender and whether such a pause was lifted.
 */
export async function registerConfiguredSender(
  db: Kysely<DB>,
  configured: ConfiguredSender & { credentialsHash: string },
  now: number,
): Promise<{ sender: Sender; isAuthPauseLifted: boolean }> {
  const before = await getSender(db, configured.id);
  await upsertSender(db, configured, now);
  const isAuthPauseLifted = before?.pausedBy === 'auth' && before.credentialsHash !== configured.credentialsHash;
  if (isAuthPauseLifted) await resumeSender(db, configured.id, now);
  return { sender: (await getSender(db, configured.id)) as Sender, isAuthPauseLifted };
}

/** Adds a sender with its own number and sealed credentials (or, in sandbox mode, a simulated number). */
export async function createSender(
  db: Kysely<DB>,
  admin: SenderAdmin,
  input: SenderInput,
  now: number,
): Promise<SenderView> {
  const id = input.id ?? (await freeIdFrom(db, input.name));
  if (await isSenderIdTaken(db, id)) throw new AppError('conflict', `a sender "${id}" exists already`, { field: 'id' });
  const number = await numberFor(admin, input);
  await requireUnusedNumber(db, number.phoneNumberId);
  await insertSender(
    db,
    {
      id,
      name: input.name,
      phoneNumberId: number.phoneNumberId,
      businessAccountId: number.businessAccountId,
      ratePerSec: input.mps,
      dailyLimit: input.daily_limit,
      accessTokenSealed: admin.box.seal(number.accessToken, id),
      appSecretSealed: number.appSecret === undefined ? null : admin.box.seal(number.appSecret, id),
      isSandbox: number.isSandbox,
    },
    now,
  );
  return viewSender(db, id);
}

/** Changes a sender added through the API; the default sender's credentials and limits belong to WA_*. */
export async function changeSender(
  db: Kysely<DB>,
  admin: SenderAdmin,
  id: string,
  patch: SenderPatch,
  now: number,
): Promise<SenderView> {
  const sender = await requireSender(db, id);
  const envOnly = Object.keys(patch).filter((field) => field !== 'name');
  if (id === DEFAULT_SENDER_ID && envOnly.length > 0) {
    throw new AppError(
      'invalid_state',
      `the default sender's ${envOnly[0]} comes from the WA_* variables: change them and restart`,
      { field: envOnly[0] },
    );
  }
  if (patch.phone_number_id !== undefined && patch.phone_number_id !== sender.phoneNumberId)
    await requireUnusedNumber(db, patch.phone_number_id);
  await updateSender(
    db,
    id,
    {
      name: patch.name,
      phoneNumberId: patch.phone_number_id,
      businessAccountId: patch.business_account_id,
      ratePerSec: patch.mps,
      dailyLimit: patch.daily_limit,
      accessTokenSealed: patch.access_token === undefined ? undefined : admin.box.seal(patch.access_token, id),
      appSecretSealed: patch.app_secret === undefined ? undefined : admin.box.seal(patch.app_secret, id),
    },
    now,
  );
  // New credentials deserve a try, as at a restart: the next send pauses the sender again if they fail.
  const isNewNumberOrToken = patch.access_token !== undefined || patch.phone_number_id !== undefined;
  if (sender.pausedBy === 'auth' && isNewNumberOrToken) await resumeSender(db, id, now);
  return viewSender(db, id);
}

/** Removes a sender that no campaign still needs; its row stays for the history of its campaigns. */
export async function deleteSender(db: Kysely<DB>, id: string, now: number): Promise<void> {
  await requireSender(db, id);
  if (id === DEFAULT_SENDER_ID)
    throw new AppError('invalid_state', 'the default sender comes from the WA_* variables and cannot be removed', {
      field: 'id',
    });
  const open = (await listCampaignsByStatus(db, ['scheduled', 'running', 'paused'])).filter((c) => c.senderId === id);
  if (open.length > 0) {
    throw new AppError(
      'invalid_state',
      `sender "${id}" still has ${open.length} scheduled, running or paused campaign(s) (${open.map((c) => c.id).join(', ')}): cancel or finish them first`,
      { field: 'id' },
    );
  }
  await markSenderDeleted(db, id, now);
}

/** Every sender, as the API shows them. */
export async function listSenderViews(db: Kysely<DB>): Promise<SenderView[]> {
  return (await listSenders(db)).map(toSenderView);
}

/** One sender as the API shows it; 404 when unknown. */
export async function viewSender(db: Kysely<DB>, id: string): Promise<SenderView> {
  return toSenderView(await requireSender(db, id));
}

/** Pauses or resumes a sender by hand; its running campaigns stop or go on within a second. */
export async function setSenderPausedByPerson(
  db: Kysely<DB>,
  id: string,
  pause: { reason: string } | null,
  now: number,
): Promise<SenderView> {
  await requireSender(db, id);
  if (pause) await pauseSender(db, id, { reason: pause.reason, by: 'person' }, now);
  else await resumeSender(db, id, now);
  return viewSender(db, id);
}

/** Why a campaign that should be sending is not, when its sender is paused; else null. */
export function senderHoldReason(sender: Pick<Sender, 'id' | 'pausedReason'> | undefined): string | null {
  return sender?.pausedReason ? `sender "${sender.id}" is paused: ${sender.pausedReason}` : null;
}

/** The sender in use with this id; 404 naming the field `field` when there is none. */
export async function requireSender(db: Kysely<DB>, id: string, field = 'id'): Promise<Sender> {
  const sender = await getSender(db, id);
  if (!sender) throw new AppError('not_found', `no sender "${id}"`, { field });
  return sender;
}

async function numberFor(
  admin: SenderAdmin,
  input: SenderInput,
): Promise<Omit<SandboxNumber, 'appSecret'> & { appSecret: string | undefined; isSandbox: boolean }> {
  const given = {
    phoneNumberId: input.phone_number_id,
    businessAccountId: input.business_account_id,
    accessToken: input.access_token,
  };
  const missing = Object.entries(given).filter(([, value]) => value === undefined);
  if (missing.length === 3 && admin.provisionSandboxNumber) {
    const number = await admin.provisionSandboxNumber({ mps: input.mps, dailyLimit: input.daily_limit });
    return { ...number, isSandbox: true };
  }
  if (missing.length > 0) {
    const field = snakeCase(missing[0]?.[0] ?? 'access_token');
    throw new AppError(
      'validation_failed',
      `${field}: required (with phone_number_id, business_account_id and access_token)`,
      {
        field,
      },
    );
  }
  return {
    phoneNumberId: given.phoneNumberId as string,
    businessAccountId: given.businessAccountId as string,
    accessToken: given.accessToken as string,
    appSecret: input.app_secret,
    isSandbox: false,
  };
}

async function requireUnusedNumber(db: Kysely<DB>, phoneNumberId: string): Promise<void> {
  const owner = (await listSenders(db)).find((s) => s.phoneNumberId === phoneNumberId);
  if (owner) {
    throw new AppError('conflict', `phone number ${phoneNumberId} belongs to sender "${owner.id}" already`, {
      field: 'phone_number_id',
    });
  }
}

async function freeIdFrom(db: Kysely<DB>, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32) || 'sender';
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    if (!(await isSenderIdTaken(db, id))) return id;
  }
}

function snakeCase(camel: string): string {
  return camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function toSenderView(sender: Sender): SenderView {
  return {
    id: sender.id,
    name: sender.name,
    provider: 'cloud-api',
    phone_number_id: sender.phoneNumberId,
    business_account_id: sender.businessAccountId,
    access_token: 'set',
    app_secret: sender.id === DEFAULT_SENDER_ID || sender.appSecretSealed !== null ? 'set' : null,
    configured_by: sender.id === DEFAULT_SENDER_ID ? 'environment' : 'api',
    is_sandbox: sender.isSandbox,
    mps: sender.ratePerSec,
    daily_limit: sender.dailyLimit,
    status: sender.pausedReason === null ? 'active' : 'paused',
    status_reason: sender.pausedReason,
    paused_by: sender.pausedBy,
    paused_at: iso(sender.pausedAt),
    display_phone_number: sender.health.displayPhoneNumber,
    verified_name: sender.health.verifiedName,
    quality_rating: sender.health.qualityRating,
    throughput_level: sender.health.throughputLevel,
    messaging_limit_tier: sender.health.messagingLimitTier,
    health_checked_at: iso(sender.health.checkedAt),
    health_error: sender.health.error,
    created_at: new Date(sender.createdAt).toISOString(),
    updated_at: new Date(sender.updatedAt).toISOString(),
  };
}
