import type { ConsentAction, ConsentFact, ConsentPurpose } from '../domain/consent.ts';
import { phoneHasher } from './phone-hash.ts';

/** What the import needs to know about a contact that already exists. */
export interface ExistingContact {
  id: number;
  lastImportId: number | null;
  attributesJson: string;
  marketingAt: number | null;
  utilityAt: number | null;
}

/** One contact row to insert or update. Null names and language keep what is stored. */
export interface ContactUpsert {
  /** The id the prefetch found, or null for a new contact. */
  existingId: number | null;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  attributesJson: string;
  marketingAt: number | null;
  utilityAt: number | null;
  now: number;
  importId: number | null;
}

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

/** The bulk operations of import batches, inside one transaction. */
export interface ImportTx {
  /** Which of these phones were erased (refused by the import). */
  findErasedPhones(phones: readonly string[]): Promise<Set<string>>;
  findContactsByPhones(phones: readonly string[]): Promise<Map<string, ExistingContact>>;
  findConsentFacts(contactIds: readonly number[]): Promise<Map<number, ConsentFact[]>>;
  /** Inserts the contacts whose phone is not stored yet and answers their ids; stored phones are left alone. */
  insertNewContacts(contacts: readonly ContactUpsert[]): Promise<Map<string, number>>;
  /** Inserts or updates contacts (phones distinct) and answers each phone's id. */
  upsertContacts(contacts: readonly ContactUpsert[]): Promise<Map<string, number>>;
  /** Adds tags; tags already there stay (imports add, never remove). */
  addContactTags(tags: readonly { contactId: number; tag: string }[]): Promise<void>;
  appendConsentEvents(events: readonly NewConsentEvent[]): Promise<void>;
}

/** Runs one transaction of import batches. */
export interface ImportWriter {
  transaction<T>(work: (tx: ImportTx) => Promise<T>): Promise<T>;
  /** After the last transaction: what the store needs once `rowsWritten` rows went in. */
  finish(rowsWritten: number): Promise<void>;
}

const UPSERT_SET = `ON CONFLICT (phone) DO UPDATE SET
  first_name = COALESCE(excluded.first_name, contacts.first_name),
  last_name = COALESCE(excluded.last_name, contacts.last_name),
  language = COALESCE(excluded.language, contacts.language),
  attributes = excluded.attributes,
  marketing_consent_at = excluded.marketing_consent_at,
  utility_consent_at = excluded.utility_consent_at,
  updated_at = excluded.updated_at,
  last_import_id = excluded.last_import_id`;

/** The shared SQL of both writers. */
export const IMPORT_SQL = {
  upsertHead:
    'INSERT INTO contacts (phone, first_name, last_name, language, attributes, marketing_consent_at, utility_consent_at, created_at, updated_at, last_import_id)',
  upsertTail: `${UPSERT_SET} RETURNING id, phone`,
  insertNewTail: 'ON CONFLICT (phone) DO NOTHING',
  eventHead:
    'INSERT INTO consent_events (contact_id, action, purpose, channel, source, occurred_at, recorded_at, proof)',
  existingColumns: 'id, phone, last_import_id, attributes, marketing_consent_at, utility_consent_at',
};

/** The erasure salt and whether any number is erased, as both writers read it first. */
export const ERASURE_STATE_SQL =
  'SELECT salt, EXISTS (SELECT 1 FROM erased_numbers) AS any_erased FROM erasure_salt WHERE id = 1';

/**
 * The erased phones among a batch: nothing is hashed while no number is erased; otherwise the
 * batch is hashed once and its hashes looked up in one statement.
 */
export async function findErasedAmong(
  phones: readonly string[],
  state: { salt: string; any_erased: unknown } | undefined,
  lookup: (hashes: string[]) => Promise<readonly { phone_hash: string }[]>,
): Promise<Set<string>> {
  if (phones.length === 0 || !state || !Number(state.any_erased)) return new Set();
  const hash = phoneHasher(state.salt);
  const byHash = new Map(phones.map((phone) => [hash(phone), phone]));
  const rows = await lookup([...byHash.keys()]);
  return new Set(rows.map((row) => byHash.get(row.phone_hash) as string));
}

/** A contacts row as the prefetch reads it. */
export interface ExistingRow {
  id: number;
  phone: string;
  last_import_id: number | null;
  attributes: string;
  marketing_consent_at: number | null;
  utility_consent_at: number | null;
}

/** Maps prefetched rows by phone. */
export function toExistingMap(rows: readonly ExistingRow[]): Map<string, ExistingContact> {
  const nullable = (v: number | null) => (v === null ? null : Number(v));
  return new Map(
    rows.map((r) => [
      r.phone,
      {
        id: Number(r.id),
        lastImportId: nullable(r.last_import_id),
        attributesJson: r.attributes,
        marketingAt: nullable(r.marketing_consent_at),
        utilityAt: nullable(r.utility_consent_at),
      },
    ]),
  );
}

/** A ledger row as the fact query reads it. */
export interface FactRow {
  contact_id: number;
  action: ConsentAction;
  purpose: ConsentPurpose;
  occurred_at: number;
}

/** Groups ledger facts by contact. */
export function toFactMap(rows: readonly FactRow[]): Map<number, ConsentFact[]> {
  const facts = new Map<number, ConsentFact[]>();
  for (const r of rows) {
    const id = Number(r.contact_id);
    const list = facts.get(id) ?? [];
    list.push({ action: r.action, purpose: r.purpose, occurredAt: Number(r.occurred_at) });
    facts.set(id, list);
  }
  return facts;
}
