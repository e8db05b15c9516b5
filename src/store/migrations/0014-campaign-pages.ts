import type { Kysely } from 'kysely';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * Test sends from the campaign page: one message of a campaign sent to one consented contact, kept
 * apart from `messages` so it never counts in the campaign's figures. The person is named by
 * contact id, never by phone, so an erasure leaves nothing here to find.
 */
export const campaignPagesMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('test_sends')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('contact_id', 'bigint', (c) => c.notNull())
      .addColumn('wamid', 'text')
      .addColumn('error_code', 'integer')
      .addColumn('error_title', 'text')
      .addColumn('created_at', epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('test_sends_by_campaign').on('test_sends').column('campaign_id').execute();
  },
});
