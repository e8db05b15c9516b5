import type { Database } from '../store/db.ts';
import { skipPendingForPhone } from '../store/outbox-repo.ts';
import { recordOptIn, recordOptOut } from './consent.ts';

/**
 * Suppresses a number with its evidence and skips its waiting messages at once, so running
 * campaigns never send to someone who just said stop (DESIGN.md: opt-outs act before the next claim).
 */
export async function suppressNow(
  database: Database,
  phone: string,
  evidence: { source: string; evidence: string },
  clock: () => number,
): Promise<void> {
  await recordOptOut(database.db, phone, { source: evidence.source, evidence: evidence.evidence }, clock);
  await skipPendingForPhone(database.db, phone, `suppressed: ${evidence.evidence}`, clock());
}

/** Re-subscribes a number (START, or a `user_preferences` resume) with its evidence. */
export async function resubscribe(
  database: Database,
  phone: string,
  evidence: { source: string; evidence: string },
  clock: () => number,
): Promise<void> {
  await recordOptIn(database.db, phone, { source: evidence.source, evidence: evidence.evidence }, clock);
}
