import { inList, insertMany, rowsPerStatement, runSql, type SqlRunner, valuesList } from './sql-batch.ts';

/** What the import needs to know about a contact that already exists. */
export interface ExistingContact {
  id: number;
  lastImportId: number | null;
  attributesJson: string;
  marketingAt: number | null;
  utilityAt: number | null;
}

/** The contacts among these phones, by phone: one `IN (…)` query per batch. */
export async function findContactsByPhones(
  runner: SqlRunner,
  phones: readonly string[],
): Promise<Map<string, ExistingContact>> {
  const found = new Map<string, ExistingContact>();
  if (phones.length === 0) return found;
  const rows = await runSql<{
    id: number;
    phone: string;
    last_import_id: number | null;
    attributes: string;
    marketing_consent_at: number | null;
    utility_consent_at: number | null;
  }>(
    runner,
    `SELECT id, phone, last_import_id, attributes, marketing_consent_at, utility_consent_at FROM contacts WHERE phone IN (${inList(runner, phones.length)})`,
    phones,
  );
  for (const r of rows) {
    found.set(r.phone, {
      id: Number(r.id),
      lastImportId: r.last_import_id === null ? null : Number(r.last_import_id),
      attributesJson: r.attributes,
      marketingAt: r.marketing_consent_at === null ? null : Number(r.marketing_consent_at),
      utilityAt: r.utility_consent_at === null ? null : Number(r.utility_consent_at),
    });
  }
  return found;
}

/** One contact row to insert or update. Null names and language keep what is stored. */
export interface ContactUpsert {
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

const UPSERT_HEAD =
  'INSERT INTO contacts (phone, first_name, last_name, language, attributes, marketing_consent_at, utility_consent_at, created_at, updated_at, last_import_id)';
const UPSERT_TAIL = `ON CONFLICT (phone) DO UPDATE SET
  first_name = COALESCE(excluded.first_name, contacts.first_name),
  last_name = COALESCE(excluded.last_name, contacts.last_name),
  language = COALESCE(excluded.language, contacts.language),
  attributes = excluded.attributes,
  marketing_consent_at = excluded.marketing_consent_at,
  utility_consent_at = excluded.utility_consent_at,
  updated_at = excluded.updated_at,
  last_import_id = excluded.last_import_id
RETURNING id, phone`;

/** Inserts or updates many contacts (phones must be distinct) and answers each phone's id. */
export async function upsertContacts(
  runner: SqlRunner,
  contacts: readonly ContactUpsert[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const rows = contacts.map((c) => [
    c.phone,
    c.firstName,
    c.lastName,
    c.language,
    c.attributesJson,
    c.marketingAt,
    c.utilityAt,
    c.now,
    c.now,
    c.importId,
  ]);
  const perStatement = rowsPerStatement(runner, 10);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const returned = await runSql<{ id: number; phone: string }>(
      runner,
      `${UPSERT_HEAD} VALUES ${valuesList(runner, chunk.length, 10)} ${UPSERT_TAIL}`,
      chunk.flat(),
    );
    for (const r of returned) ids.set(r.phone, Number(r.id));
  }
  return ids;
}

/** Adds tags to contacts; tags already there stay (imports add, they never remove). */
export async function addContactTags(
  runner: SqlRunner,
  tags: readonly { contactId: number; tag: string }[],
): Promise<void> {
  const rows = tags.map((t) => [t.contactId, t.tag]);
  await insertMany(runner, 'INSERT INTO contact_tags (contact_id, tag)', 2, rows, 'ON CONFLICT DO NOTHING');
}
