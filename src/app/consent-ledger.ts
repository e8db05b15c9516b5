import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { listConsentEvents } from '../store/consent-repo.ts';
import { findContactByPhone } from '../store/contacts-repo.ts';
import type { DB } from '../store/schema.ts';
import { requireE164 } from './consent.ts';
import { type PersonExport, toLedgerJson } from './export-person.ts';

/** A contact's consent ledger, oldest first, each entry with its proof; a 404 for a number no contact has. */
export async function consentLedger(db: Kysely<DB>, phone: string): Promise<{ data: PersonExport['consent'] }> {
  requireE164(phone);
  const contact = await findContactByPhone(db, phone);
  if (!contact) throw new AppError('not_found', `no contact ${phone}`);
  return { data: (await listConsentEvents(db, contact.id)).map(toLedgerJson) };
}
