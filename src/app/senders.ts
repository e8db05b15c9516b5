import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { DB, SenderPausedBy } from '../store/schema.ts';
import {
  type ConfiguredSender,
  getSender,
  listSenders,
  pauseSender,
  resumeSender,
  type Sender,
  upsertSender,
} from '../store/senders-repo.ts';
import { iso } from './iso-time.ts';

/** A sender as the API shows it: limits and state, never its credentials. */
export interface SenderView {
  id: string;
  provider: 'cloud-api';
  phone_number_id: string;
  business_account_id: string;
  access_token: 'set';
  mps: number;
  daily_limit: number;
  status: 'active' | 'paused';
  status_reason: string | null;
  paused_by: SenderPausedBy | null;
  paused_at: string | null;
  updated_at: string;
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

async function requireSender(db: Kysely<DB>, id: string): Promise<Sender> {
  const sender = await getSender(db, id);
  if (!sender) throw new AppError('not_found', `no sender "${id}"`, { field: 'id' });
  return sender;
}

function toSenderView(sender: Sender): SenderView {
  return {
    id: sender.id,
    provider: 'cloud-api',
    phone_number_id: sender.phoneNumberId,
    business_account_id: sender.businessAccountId,
    access_token: 'set',
    mps: sender.ratePerSec,
    daily_limit: sender.dailyLimit,
    status: sender.pausedReason === null ? 'active' : 'paused',
    status_reason: sender.pausedReason,
    paused_by: sender.pausedBy,
    paused_at: iso(sender.pausedAt),
    updated_at: new Date(sender.updatedAt).toISOString(),
  };
}
