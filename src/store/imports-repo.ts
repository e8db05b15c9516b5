import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** The counts an import reports and keeps as proof. */
export interface ImportCounts {
  imported: number;
  updated: number;
  invalid: number;
  duplicates: number;
}

/** Records the start of an import and returns its id (the ledger cites it). */
export async function startImportRecord(db: Kysely<DB>, fileName: string, now: number): Promise<number> {
  const row = await db
    .insertInto('imports')
    .values({ file_name: fileName, started_at: now, imported: 0, updated: 0, invalid: 0, duplicates: 0 })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Stores an import's final counts. */
export async function finishImportRecord(db: Kysely<DB>, id: number, counts: ImportCounts, now: number): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      imported: counts.imported,
      updated: counts.updated,
      invalid: counts.invalid,
      duplicates: counts.duplicates,
      finished_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** One import as stored. */
export async function findImportRecord(db: Kysely<DB>, id: number) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}
