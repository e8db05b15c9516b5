import type { Kysely } from 'kysely';
import { CONSENT_CHANNEL, type ConsentFact, type ConsentState } from '../domain/consent.ts';
import type { NewConsentEvent } from './import-writer.ts';
import type { DB } from './schema.ts';

/** Appends one ledger entry; the ledger is never updated (only erasure deletes a contact's entries). */
export async function appendConsentEvent(db: Kysely<DB>, e: NewConsentEvent): Promise<void> {
  await db
    .insertInto('consent_events')
    .values({
      contact_id: e.contactId,
      action: e.action,
      purpose: e.purpose,
      channel: CONSENT_CHANNEL,
      source: e.source,
      occurred_at: e.occurredAt,
      recorded_at: e.recordedAt,
      proof: e.proofJson,
    })
    .execute();
}

/** One contact's ledger facts, for deriving its consent. */
export async function findContactConsentFacts(db: Kysely<DB>, contactId: number): Promise<ConsentFact[]> {
  const rows = await db
    .selectFrom('consent_events')
    .select(['action', 'purpose', 'occurred_at'])
    .where('contact_id', '=', contactId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ action: r.action, purpose: r.purpose, occurredAt: Number(r.occurred_at) }));
}

/** A contact's full ledger, oldest first, for display and audits. */
export async function listConsentEvents(db: Kysely<DB>, contactId: number) {
  return db
    .selectFrom('consent_events')
    .selectAll()
    .where('contact_id', '=', contactId)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}

/** Stores the consent projection on the contact row (same transaction as the ledger append). */
export async function setConsentProjection(db: Kysely<DB>, contactId: number, state: ConsentState, now: number) {
  await db
    .updateTable('contacts')
    .set({ marketing_consent_at: state.marketingAt, utility_consent_at: state.utilityAt, updated_at: now })
    .where('id', '=', contactId)
    .execute();
}
