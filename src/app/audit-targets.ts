import type { Kysely } from 'kysely';
import type { AuditTarget } from '../domain/audit.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import type { DB } from '../store/schema.ts';

/**
 * How the audit log names a person: by contact id, never by phone, so the log holds no personal
 * data an erasure would have to find. Undefined for a number no contact has (an opt-out of a stranger).
 */
export async function contactTarget(db: Kysely<DB>, phone: string): Promise<AuditTarget | undefined> {
  const contact = await findContactByPhone(db, phone);
  return contact && { type: 'contact', id: String(contact.id) };
}

/** How the audit log names a campaign. */
export function campaignTarget(id: number | string): AuditTarget {
  return { type: 'campaign', id: String(id) };
}

/** How the audit log names an erasure: by its record, never by the number. */
export function erasureTarget(result: { erasure: { id: number } }): AuditTarget {
  return { type: 'erasure', id: String(result.erasure.id) };
}
