import type { Kysely } from 'kysely';
import {
  CONSENT_CHANNEL,
  type ConsentAction,
  type ConsentFact,
  type ConsentPurpose,
  type ConsentState,
} from '../domain/consent.ts';
import type { DB } from './schema.ts';
import { inList, insertMany, runSql, type SqlRunner } from './sql-batch.ts';

/** One ledger entry to append. */
export interface NewConsentEvent {
  contactId: number;
  action: ConsentAction;
  purpose: ConsentPurpose;
  source: string;
  occurredAt: number;
  recordedAt: number;
  /** Proof, already serialised as JSON. */
  proofJson: string;
}

const EVENT_HEAD =
  'INSERT INTO consent_events (contact_id, action, purpose, channel, source, occurred_at, recorded_at, proof)';

/** Appends ledger entries in as few statements as possible; the ledger is never updated or deleted. */
export async function appendConsentEvents(runner: SqlRunner, events: readonly NewConsentEvent[]): Promise<void> {
  const rows = events.map((e) => [
    e.contactId,
    e.action,
    e.purpose,
    CONSENT_CHANNEL,
    e.source,
    e.occurredAt,
    e.recordedAt,
    e.proofJson,
  ]);
  await insertMany(runner, EVENT_HEAD, 8, rows);
}

/** The ledger facts of these contacts, grouped by contact id. */
export async function findConsentFacts(
  runner: SqlRunner,
  contactIds: readonly number[],
): Promise<Map<number, ConsentFact[]>> {
  const facts = new Map<number, ConsentFact[]>();
  if (contactIds.length === 0) return facts;
  const rows = await runSql<{
    contact_id: number;
    action: ConsentAction;
    purpose: ConsentPurpose;
    occurred_at: number;
  }>(
    runner,
    `SELECT contact_id, action, purpose, occurred_at FROM consent_events WHERE contact_id IN (${inList(runner, contactIds.length)})`,
    contactIds,
  );
  for (const r of rows) {
    const list = facts.get(Number(r.contact_id)) ?? [];
    list.push({ action: r.action, purpose: r.purpose, occurredAt: Number(r.occurred_at) });
    facts.set(Number(r.contact_id), list);
  }
  return facts;
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
