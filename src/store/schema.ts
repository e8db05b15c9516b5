import type { Generated } from 'kysely';

// Column types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL), JSON is stored
// as text so the same queries run on SQLite and PostgreSQL.

/** One person we may message, keyed by an E.164 phone number. */
export interface ContactsTable {
  id: Generated<number>;
  phone: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  /** JSON object of custom attributes (any extra CSV column). */
  attributes: string;
  /** Projection of the consent ledger: time of the standing marketing grant, or null. */
  marketing_consent_at: number | null;
  /** Projection of the consent ledger: time of the standing utility grant, or null. */
  utility_consent_at: number | null;
  created_at: number;
  updated_at: number;
}

/** A contact's tags, one row each, so audiences can filter on an index. */
export interface ContactTagsTable {
  contact_id: number;
  tag: string;
}

/** The append-only consent ledger: every grant and revocation with its proof. */
export interface ConsentEventsTable {
  id: Generated<number>;
  contact_id: number;
  action: 'grant' | 'revoke';
  purpose: 'marketing' | 'utility';
  channel: string;
  source: string;
  occurred_at: number;
  recorded_at: number;
  /** JSON: form_url, wording, ip, import_id, import_file, import_row, api_key_id, evidence. */
  proof: string;
}

/** Numbers we must never message; wins over any consent. Keyed by phone so it outlives erasure. */
export interface SuppressionsTable {
  phone: string;
  reason: 'opted_out' | 'blocked' | 'manual' | 'erased';
  source: string;
  created_at: number;
}

/** One contacts import run, referenced by the ledger as proof. */
export interface ImportsTable {
  id: Generated<number>;
  file_name: string;
  started_at: number;
  finished_at: number | null;
  imported: number;
  updated: number;
  invalid: number;
  duplicates: number;
}

/** Bearer API keys, stored only as SHA-256 hashes. */
export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  key_hash: string;
  /** The first characters of the key, to recognise it in lists. */
  prefix: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** The whole database, as Kysely sees it. */
export interface DB {
  contacts: ContactsTable;
  contact_tags: ContactTagsTable;
  consent_events: ConsentEventsTable;
  suppressions: SuppressionsTable;
  imports: ImportsTable;
  api_keys: ApiKeysTable;
}
