import type { Kysely } from 'kysely';
import { isLanguageCode, parseTags } from '../domain/contact-row.ts';
import { AppError } from '../domain/errors.ts';
import {
  type ContactChanges,
  type ContactRecord,
  findContactByPhone,
  listContacts,
  updateContact,
} from '../store/contacts-repo.ts';
import type { DB } from '../store/schema.ts';
import { findSuppressions } from '../store/suppressions-repo.ts';
import { requireE164 } from './consent.ts';
import { type ContactJson, toContactJson } from './contact-view.ts';
import { decodeCursor, type Page, toPage } from './cursor.ts';

/** Page size when none is asked for, and the most one page may hold. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** The stored contact with this E.164 phone; a bad phone is invalid_phone, an unknown one not_found. */
export async function findContact(db: Kysely<DB>, phone: string): Promise<ContactRecord> {
  const contact = await findContactByPhone(db, requireE164(phone));
  if (!contact) throw new AppError('not_found', `no contact with phone ${phone}`, { field: 'phone' });
  return contact;
}

async function render(db: Kysely<DB>, records: ContactRecord[]): Promise<ContactJson[]> {
  const suppressions = await findSuppressions(
    db,
    records.map((r) => r.phone),
  );
  return records.map((r) => toContactJson(r, suppressions.get(r.phone) ?? null));
}

/** One contact by E.164 phone; unknown → not_found. */
export async function getContact(db: Kysely<DB>, phone: string): Promise<ContactJson> {
  const [json] = await render(db, [await findContact(db, phone)]);
  return json as ContactJson;
}

/** A page of contacts filtered by tag and a phone/name prefix, with an opaque keyset cursor. */
export async function listContactsPage(
  db: Kysely<DB>,
  query: { tag?: string; q?: string; cursor?: string; limit?: number },
): Promise<Page<ContactJson>> {
  const limit = Math.min(Math.max(query.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
  const rows = await listContacts(db, {
    tag: query.tag,
    q: query.q,
    afterId: decodeCursor(query.cursor),
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (pageRows) => pageRows);
  return { data: await render(db, page.data), next_cursor: page.next_cursor };
}

/** Changes a contact's names, language, attributes or tags (tags replace the stored set). */
export async function patchContact(
  db: Kysely<DB>,
  phone: string,
  changes: ContactChanges,
  clock: () => number,
): Promise<ContactJson> {
  if (changes.language && !isLanguageCode(changes.language)) {
    throw new AppError('validation_failed', `language "${changes.language}" is not a code like en or pt_BR`, {
      field: 'language',
    });
  }
  const tags = changes.tags === undefined ? undefined : parseTags(changes.tags.join(';'), []);
  if (typeof tags === 'string') throw new AppError('validation_failed', tags, { field: 'tags' });
  await db.transaction().execute(async (trx) => {
    const contact = await findContact(trx, phone);
    await updateContact(trx, contact.id, { ...changes, tags }, clock());
  });
  return getContact(db, phone);
}
