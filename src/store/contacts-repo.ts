import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from './schema.ts';

/** A contact row as stored, with its tags. */
export interface ContactRecord {
  id: number;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  attributes: Record<string, string>;
  marketingConsentAt: number | null;
  utilityConsentAt: number | null;
  createdAt: number;
  updatedAt: number;
  tags: string[];
}

type ContactRow = DB['contacts'] & { id: number };

function toRecord(row: ContactRow, tags: string[]): ContactRecord {
  return {
    id: Number(row.id),
    phone: row.phone,
    firstName: row.first_name,
    lastName: row.last_name,
    language: row.language,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    marketingConsentAt: row.marketing_consent_at === null ? null : Number(row.marketing_consent_at),
    utilityConsentAt: row.utility_consent_at === null ? null : Number(row.utility_consent_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    tags,
  };
}

/** The contact with this E.164 phone, or undefined. */
export async function findContactByPhone(db: Kysely<DB>, phone: string): Promise<ContactRecord | undefined> {
  const row = await db.selectFrom('contacts').selectAll().where('phone', '=', phone).executeTakeFirst();
  if (!row) return undefined;
  const tags = await findTags(db, [Number(row.id)]);
  return toRecord(row as ContactRow, tags.get(Number(row.id)) ?? []);
}

/** Filters and keyset position for one page of contacts. */
export interface ContactQuery {
  tag?: string;
  /** Prefix of the phone (with or without `+`) or of the first or last name, case-insensitive. */
  q?: string;
  afterId?: number;
  limit: number;
}

function likePrefix(text: string): string {
  return `${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// Below this many matches in each searched index, a search reads the matches through the indexes
// and sorts their ids; above it matches are dense, and walking contacts in id order finds a
// page of them after a few thousand rows (bench:search, docs/benchmarks.md).
const SPARSE_MATCHES = 5_000;

/** The first string after every string that starts with `prefix` (binary order). */
function afterPrefix(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The three prefix searches of `q`, each an index range (rechecked with LIKE where collations differ). */
function prefixSearches(q: string): [RawBuilder<boolean>, RawBuilder<boolean>, RawBuilder<boolean>] {
  const phone = q.startsWith('+') ? q : `+${q}`;
  const name = q.toLowerCase();
  const range = (expression: RawBuilder<unknown>, prefix: string) =>
    sql<boolean>`(${expression} >= ${prefix} AND ${expression} < ${afterPrefix(prefix)} AND ${expression} LIKE ${likePrefix(prefix)} ESCAPE '\\')`;
  return [range(sql.ref('phone'), phone), range(sql`lower(first_name)`, name), range(sql`lower(last_name)`, name)];
}

/** True when every prefix search matches fewer than SPARSE_MATCHES contacts (each read stops there). */
async function isSparseSearch(db: Kysely<DB>, q: string): Promise<boolean> {
  for (const search of prefixSearches(q)) {
    const { n } = await db
      .selectFrom((sub) => sub.selectFrom('contacts').select('id').where(search).limit(SPARSE_MATCHES).as('m'))
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(n) >= SPARSE_MATCHES) return false;
  }
  return true;
}

/** One page of contacts in id order; fetch `limit + 1` to know whether more follow. */
export async function listContacts(db: Kysely<DB>, query: ContactQuery): Promise<ContactRecord[]> {
  let select = db.selectFrom('contacts').selectAll().orderBy('id').limit(query.limit);
  if (query.afterId !== undefined) select = select.where('id', '>', query.afterId);
  if (query.tag !== undefined) {
    const tag = query.tag;
    const afterId = query.afterId;
    // The tag rows are bounded as the page is: PostgreSQL does not carry `id > n` across to them,
    // and would otherwise merge every page with the tag's rows from its first contact on.
    select = select.where('id', 'in', (sub) =>
      sub
        .selectFrom('contact_tags')
        .select('contact_id')
        .where('tag', '=', tag)
        .$if(afterId !== undefined, (q) => q.where('contact_id', '>', afterId ?? 0)),
    );
  }
  if (query.q !== undefined && query.q !== '') {
    const [phone, first, last] = prefixSearches(query.q);
    if (await isSparseSearch(db, query.q)) {
      const ids = (search: RawBuilder<boolean>) => db.selectFrom('contacts').select('id').where(search);
      select = select.where('id', 'in', ids(phone).union(ids(first)).union(ids(last)));
    } else {
      // LIKE alone: no index matches it, so the planner walks contacts in id order and stops at a page.
      const name = likePrefix(query.q);
      const phonePrefix = likePrefix(query.q.startsWith('+') ? query.q : `+${query.q}`);
      select = select.where(
        sql<boolean>`(phone LIKE ${phonePrefix} ESCAPE '\\' OR lower(first_name) LIKE ${name} ESCAPE '\\' OR lower(last_name) LIKE ${name} ESCAPE '\\')`,
      );
    }
  }
  const rows = (await select.execute()) as ContactRow[];
  const tags = await findTags(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((r) => toRecord(r, tags.get(Number(r.id)) ?? []));
}

/** Tags of these contacts, sorted, by contact id. */
export async function findTags(db: Kysely<DB>, contactIds: readonly number[]): Promise<Map<number, string[]>> {
  const tags = new Map<number, string[]>();
  if (contactIds.length === 0) return tags;
  const rows = await db
    .selectFrom('contact_tags')
    .select(['contact_id', 'tag'])
    .where('contact_id', 'in', [...contactIds])
    .orderBy('tag')
    .execute();
  for (const r of rows) tags.set(Number(r.contact_id), [...(tags.get(Number(r.contact_id)) ?? []), r.tag]);
  return tags;
}

/** The fields a PATCH may change; undefined leaves a field as it is. */
export interface ContactChanges {
  firstName?: string | null;
  lastName?: string | null;
  language?: string | null;
  attributes?: Record<string, string>;
  tags?: string[];
}

/** Applies changes to one contact; tags, when given, replace the stored ones. */
export async function updateContact(db: Kysely<DB>, id: number, changes: ContactChanges, now: number) {
  await db
    .updateTable('contacts')
    .set({
      ...(changes.firstName !== undefined && { first_name: changes.firstName }),
      ...(changes.lastName !== undefined && { last_name: changes.lastName }),
      ...(changes.language !== undefined && { language: changes.language }),
      ...(changes.attributes !== undefined && { attributes: JSON.stringify(changes.attributes) }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
  if (changes.tags === undefined) return;
  await db.deleteFrom('contact_tags').where('contact_id', '=', id).execute();
  if (changes.tags.length > 0) {
    await db
      .insertInto('contact_tags')
      .values(changes.tags.map((tag) => ({ contact_id: id, tag })))
      .execute();
  }
}

/** Adds tags to a contact, keeping the ones it has. */
export async function addContactTags(db: Kysely<DB>, contactId: number, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  await db
    .insertInto('contact_tags')
    .values(tags.map((tag) => ({ contact_id: contactId, tag })))
    .onConflict((oc) => oc.columns(['contact_id', 'tag']).doNothing())
    .execute();
}

/** Creates a bare contact (e.g. on an opt-in for an unknown number) and answers its id. */
export async function insertBareContact(db: Kysely<DB>, phone: string, now: number): Promise<number> {
  const row = await db
    .insertInto('contacts')
    .values({ phone, attributes: '{}', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}
