import { CompiledQuery, type Kysely } from 'kysely';
import { CONSENT_CHANNEL } from '../domain/consent.ts';
import { lockAgainstErasure } from './erased-numbers-repo.ts';
import {
  type ContactUpsert,
  ERASURE_STATE_SQL,
  type ExistingRow,
  type FactRow,
  findErasedAmong,
  IMPORT_SQL,
  type ImportTx,
  type ImportWriter,
  toExistingMap,
  toFactMap,
} from './import-writer.ts';
import type { DB } from './schema.ts';

// One array parameter per column (unnest) keeps each statement small however many rows it
// carries: no 65,535-parameter limit, and PostgreSQL parses it in the same time for 10 or 10,000 rows.

/**
 * The PostgreSQL import writer: one statement per operation per batch, in a Kysely transaction
 * that holds the erasure lock (shared), so no erasure commits between a batch's check and its write.
 */
export function createPostgresImportWriter(db: Kysely<DB>): ImportWriter {
  return {
    transaction: (work) =>
      db.transaction().execute(async (trx) => {
        await lockAgainstErasure(trx);
        return work(postgresTx(trx));
      }),
    async finish(rowsWritten) {
      if (rowsWritten >= ANALYZE_AFTER_ROWS) await query(db, 'ANALYZE contacts, contact_tags', []);
    },
  };
}

// A campaign started right after a large import is planned with the statistics from before it,
// which may say a tag holds a few hundred contacts when it holds a million: paging its audience
// then read every tagged contact for each page. Autovacuum gathers them again, but only within a
// minute or so; ANALYZE reads a sample (about a second at a million contacts), so only imports
// this large pay for it.
const ANALYZE_AFTER_ROWS = 10_000;

async function query<Row>(db: Kysely<DB>, text: string, parameters: unknown[]): Promise<Row[]> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(text, parameters));
  return [...result.rows];
}

// Both contact writes share one statement shape; only the conflict clause differs.
async function writeContacts(db: Kysely<DB>, contacts: readonly ContactUpsert[], tail: string) {
  if (contacts.length === 0) return new Map<string, number>();
  const column = <T>(pick: (c: ContactUpsert) => T) => contacts.map(pick);
  const rows = await query<{ id: number; phone: string }>(
    db,
    `${IMPORT_SQL.upsertHead} SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
       $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[]) ${tail}`,
    [
      column((c) => c.phone),
      column((c) => c.firstName),
      column((c) => c.lastName),
      column((c) => c.language),
      column((c) => c.attributesJson),
      column((c) => c.marketingAt),
      column((c) => c.utilityAt),
      column((c) => c.now),
      column((c) => c.now),
      column((c) => c.importId),
    ],
  );
  return new Map(rows.map((r) => [r.phone, Number(r.id)]));
}

function postgresTx(db: Kysely<DB>): ImportTx {
  return {
    async findErasedPhones(phones) {
      const [state] = await query<{ salt: string; any_erased: boolean }>(db, ERASURE_STATE_SQL, []);
      return findErasedAmong(phones, state, (hashes) =>
        query<{ phone_hash: string }>(db, 'SELECT phone_hash FROM erased_numbers WHERE phone_hash = ANY($1::text[])', [
          hashes,
        ]),
      );
    },
    async findContactsByPhones(phones) {
      const sql = `SELECT ${IMPORT_SQL.existingColumns} FROM contacts WHERE phone = ANY($1::text[])`;
      return toExistingMap(await query<ExistingRow>(db, sql, [phones]));
    },
    async findConsentFacts(ids) {
      if (ids.length === 0) return new Map();
      const sql =
        'SELECT contact_id, action, purpose, occurred_at FROM consent_events WHERE contact_id = ANY($1::bigint[]) ORDER BY id';
      return toFactMap(await query<FactRow>(db, sql, [ids]));
    },
    insertNewContacts: (contacts) => writeContacts(db, contacts, `${IMPORT_SQL.insertNewTail} RETURNING id, phone`),
    upsertContacts: (contacts) => writeContacts(db, contacts, IMPORT_SQL.upsertTail),
    async addContactTags(tags) {
      if (tags.length === 0) return;
      await query(
        db,
        'INSERT INTO contact_tags (contact_id, tag) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING',
        [tags.map((t) => t.contactId), tags.map((t) => t.tag)],
      );
    },
    async appendConsentEvents(events) {
      if (events.length === 0) return;
      await query(
        db,
        `${IMPORT_SQL.eventHead} SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
           $6::bigint[], $7::bigint[], $8::text[])`,
        [
          events.map((e) => e.contactId),
          events.map((e) => e.action),
          events.map((e) => e.purpose),
          events.map(() => CONSENT_CHANNEL),
          events.map((e) => e.source),
          events.map((e) => e.occurredAt),
          events.map((e) => e.recordedAt),
          events.map((e) => e.proofJson),
        ],
      );
    },
  };
}
