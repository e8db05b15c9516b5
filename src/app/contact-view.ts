import type { ConsentState, SuppressionReason } from '../domain/consent.ts';
import type { ContactRecord } from '../store/contacts-repo.ts';

/** A contact as the API and `--json` show it. */
export interface ContactJson {
  phone: string;
  first_name: string | null;
  last_name: string | null;
  language: string | null;
  tags: string[];
  attributes: Record<string, string>;
  consent: { marketing: string | null; utility: string | null };
  suppressed: SuppressionReason | null;
  created_at: string;
  updated_at: string;
}

/** Where a phone stands: its consent and suppression, whether or not a contact exists. */
export interface ConsentStatusJson {
  phone: string;
  consent: ContactJson['consent'];
  suppressed: SuppressionReason | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The consent part of the JSON views. */
export function consentJson(state: ConsentState): ContactJson['consent'] {
  return { marketing: iso(state.marketingAt), utility: iso(state.utilityAt) };
}

/** Renders a stored contact with its suppression reason. */
export function toContactJson(record: ContactRecord, suppressed: SuppressionReason | null): ContactJson {
  return {
    phone: record.phone,
    first_name: record.firstName,
    last_name: record.lastName,
    language: record.language,
    tags: record.tags,
    attributes: record.attributes,
    consent: consentJson({ marketingAt: record.marketingConsentAt, utilityAt: record.utilityConsentAt }),
    suppressed,
    created_at: new Date(record.createdAt).toISOString(),
    updated_at: new Date(record.updatedAt).toISOString(),
  };
}
