import type { Kysely } from 'kysely';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * Senders beyond the one the environment describes: a name, their own (sealed) credentials,
 * whether they live on the sandbox's simulator, and their number as Meta last described it. A removed sender keeps its row for its campaigns'
 * history. Inbound messages remember the number they came to, and
 * webhook events for a number no sender has are kept apart, never applied.
 */
export const senderAccountsMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('senders').addColumn('name', 'text').execute();
    await db.schema.alterTable('senders').addColumn('access_token_sealed', 'text').execute();
    await db.schema.alterTable('senders').addColumn('app_secret_sealed', 'text').execute();
    await db.schema
      .alterTable('senders')
      .addColumn('is_sandbox', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('senders')
      .addColumn('created_at', epochMs, (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('senders').addColumn('deleted_at', epochMs).execute();
    // The number as Meta last described it (sender health): read at start and every few minutes.
    for (const column of [
      'display_phone_number',
      'verified_name',
      'quality_rating',
      'throughput_level',
      'messaging_limit_tier',
      'health_error',
    ]) {
      await db.schema.alterTable('senders').addColumn(column, 'text').execute();
    }
    await db.schema.alterTable('senders').addColumn('health_checked_at', epochMs).execute();
    await db.schema.alterTable('inbound_messages').addColumn('phone_number_id', 'text').execute();
    await db.schema
      .createTable('webhook_unrouted')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('received_at', epochMs, (c) => c.notNull())
      .addColumn('phone_number_id', 'text')
      .addColumn('business_account_id', 'text')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .execute();
  },
});
