import type { Kysely } from 'kysely';
import type { MigrationFactory } from './columns.ts';

/**
 * The campaign page and the overview at 100k-message campaigns (bench:dashboard). Keyset pages of
 * one campaign's messages (its cost, report.csv, the recipients list) read this index in id order
 * instead of sorting the whole campaign for every page. The overview's activity and the report's
 * timeline count a campaign's time columns from the second index alone, never reading the rows.
 * Both cost a little on every status change, but `messages_due` already holds the status, so
 * those updates were never in-place (HOT) updates on PostgreSQL anyway.
 */
export const dashboardReadsMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.createIndex('messages_by_campaign').on('messages').columns(['campaign_id', 'id']).execute();
    await db.schema
      .createIndex('messages_times_by_campaign')
      .on('messages')
      .columns(['campaign_id', 'accepted_at', 'sent_at', 'delivered_at', 'read_at', 'failed_at'])
      .execute();
  },
});
