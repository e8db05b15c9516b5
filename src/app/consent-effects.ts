import type { Kysely } from 'kysely';
import { isErased } from '../store/erased-numbers-repo.ts';
import type { DB } from '../store/schema.ts';
import { recordOptInWithin, recordOptOutWithin } from './consent.ts';

/** Who or what asked, and the proof the ledger keeps. */
export interface ConsentChangeEvidence {
  source: string;
  evidence: string;
}

/**
 * Suppresses a number with its evidence and skips its waiting messages (recordOptOutWithin), inside
 * the caller's transaction: a webhook's STOP is durable together with the batch that carried it,
 * and running campaigns never send to someone who just said stop (DESIGN.md: opt-outs act before
 * the next claim).
 */
export async function suppressNow(
  trx: Kysely<DB>,
  phone: string,
  evidence: ConsentChangeEvidence,
  now: number,
): Promise<void> {
  await recordOptOutWithin(trx, phone, { source: evidence.source, evidence: evidence.evidence }, now);
}

/**
 * Re-subscribes a number (START, or a `user_preferences` resume) with its evidence, inside the
 * caller's transaction. An erased number stays erased: a keyword never brings it back.
 */
export async function resubscribe(
  trx: Kysely<DB>,
  phone: string,
  evidence: ConsentChangeEvidence,
  now: number,
): Promise<void> {
  if (await isErased(trx, phone)) return;
  await recordOptInWithin(trx, phone, { source: evidence.source, evidence: evidence.evidence }, now);
}
