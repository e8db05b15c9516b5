import type { Kysely } from 'kysely';
import { epochMs, type MigrationFactory } from './columns.ts';

/**
 * A sender's pause says who paused it (a person, or an authentication failure that a restart with
 * new credentials may clear), and campaigns keep their quality counts in the database, per second,
 * so every process judges a campaign on the same sends and failures.
 */
export const senderStateMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    await db.schema.alterTable('senders').addColumn('paused_by', 'text').execute();
    await db.schema.alterTable('senders').addColumn('paused_at', epochMs).execute();
    await db.schema.alterTable('senders').addColumn('credentials_hash', 'text').execute();
    await db.schema
      .alterTable('campaigns')
      .addColumn('quality_since', epochMs, (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createTable('campaign_outcomes')
      .addColumn('campaign_id', 'bigint', (c) => c.notNull())
      .addColumn('second_at', epochMs, (c) => c.notNull())
      .addColumn('code', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('campaign_outcomes_key', ['campaign_id', 'second_at', 'code'])
      .execute();
  },
});
