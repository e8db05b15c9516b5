import { type Kysely, sql } from 'kysely';
import type { MigrationFactory } from './columns.ts';

/**
 * The contacts page searches names by prefix, case-insensitively: these indexes let a search
 * for a name few contacts have read only those contacts instead of walking a million rows.
 */
export const libraryPagesMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('contacts_by_first_name').on('contacts').expression(sql`lower(first_name)`).execute();
    await db.schema.createIndex('contacts_by_last_name').on('contacts').expression(sql`lower(last_name)`).execute();
  },
});
