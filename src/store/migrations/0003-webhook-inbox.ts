import type { Kysely } from 'kysely';
import type { MigrationFactory } from './columns.ts';
import { epochMs, idColumn } from './columns.ts';

/** Status events stored on arrival and applied to their messages just after the 200 answer. */
export const webhookInboxMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_inbox')
      .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
      .addColumn('received_at', epochMs, (c) => c.notNull())
      .addColumn('event_count', 'integer', (c) => c.notNull())
      .addColumn('events', 'text', (c) => c.notNull())
      .execute();
  },
});
