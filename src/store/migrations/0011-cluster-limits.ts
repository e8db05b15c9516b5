import type { Kysely } from 'kysely';
import { epochMs, type MigrationFactory } from './columns.ts';

/**
 * One row per sender holding the limiter state every worker shares on PostgreSQL: the next free
 * send slot (a GCRA "theoretical arrival time" in ms), how many slots the last grant gave, and a
 * cached count of unique recipients in the rolling 24 h. SQLite has the table too (one schema),
 * but its one process keeps these limits in memory.
 */
export const clusterLimitsMigration: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sender_rate_limits')
      .addColumn('sender_id', 'text', (c) => c.primaryKey())
      .addColumn('next_slot_ms', 'double precision', (c) => c.notNull().defaultTo(0))
      .addColumn('last_granted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('day_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('day_counted_at', epochMs, (c) => c.notNull().defaultTo(0))
      .addColumn('day_oldest_at', epochMs)
      .execute();
  },
});
