import type { Kysely } from 'kysely';
import type { MigrationFactory } from './columns.ts';
import { epochMs } from './columns.ts';

/**
 * Inbox rows remember failed drains: a batch that keeps failing is set aside (kept, not applied)
 * instead of blocking every batch behind it.
 */
export const webhookInboxRetriesMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema
      .alterTable('webhook_inbox')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('webhook_inbox').addColumn('last_error', 'text').execute();
    await db.schema.alterTable('webhook_inbox').addColumn('set_aside_at', epochMs).execute();
  },
});
