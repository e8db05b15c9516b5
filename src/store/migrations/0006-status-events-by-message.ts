import { type Kysely, sql } from 'kysely';
import { epochMs, idColumn, type MigrationFactory } from './columns.ts';

/**
 * Status events are kept unique per message instead of per wamid. A wamid begins with the
 * recipient's number, so in an audience not sorted by phone every event landed at a random place
 * of a (wamid, status) index and dirtied a page of its own each commit (a quarter of a million
 * events: ~60 µs an event in isolation, against ~13 µs keyed by message). Events that matched a
 * message are now unique on (message_id, wamid, status), next to the other events of messages
 * sent at the same time; those still waiting for their message on (wamid, status). Together they
 * still store each (wamid, status) once (status-events-repo.ts), and `message_id IS NULL` says
 * what `is_applied = 0` said.
 */
export const statusEventsByMessageMigration: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex('status_events_unapplied').execute();
    if (dialect === 'postgres') {
      await db.schema.alterTable('status_events').dropConstraint('status_events_once').execute();
      await db.schema.alterTable('status_events').dropColumn('is_applied').execute();
    } else {
      // SQLite cannot drop a table's UNIQUE constraint: the table is built again without it.
      await db.schema
        .createTable('status_events_keyed')
        .addColumn('id', idColumn(dialect), (c) => c.primaryKey())
        .addColumn('wamid', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message_id', 'bigint')
        .addColumn('callback_data', 'text')
        .addColumn('occurred_at', epochMs, (c) => c.notNull())
        .addColumn('received_at', epochMs, (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into status_events_keyed
        select id, wamid, status, message_id, callback_data, occurred_at, received_at, payload from status_events`.execute(
        db,
      );
      await db.schema.dropTable('status_events').execute();
      await db.schema.alterTable('status_events_keyed').renameTo('status_events').execute();
    }
    await db.schema
      .createIndex('status_events_once_by_message')
      .on('status_events')
      .columns(['message_id', 'wamid', 'status'])
      .unique()
      .where(sql.ref('message_id'), 'is not', null)
      .execute();
    await db.schema
      .createIndex('status_events_once_waiting')
      .on('status_events')
      .columns(['wamid', 'status'])
      .unique()
      .where(sql.ref('message_id'), 'is', null)
      .execute();
  },
});
