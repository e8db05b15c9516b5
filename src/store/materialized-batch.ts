import type SQLite from 'better-sqlite3';
import { insertMaterializedBatch, type NewMessage } from './campaigns-repo.ts';
import { type Database, writingOnSqlite } from './db.ts';

// A million-recipient campaign is a million message rows. On SQLite a prepared single-row insert
// binds in about a microsecond, while Kysely compiles a multi-row VALUES of 18,000 parameters
// anew for every chunk; so SQLite takes the prepared path (as the contacts import does), and
// PostgreSQL keeps the multi-row insert, which saves it round trips.

/** One materialised batch: its rows and the checkpoint they move the campaign to. */
export interface MaterializedBatch {
  campaignId: number;
  messages: NewMessage[];
  throughContactId: number;
  isLast: boolean;
  now: number;
}

/**
 * Writes one materialised batch and moves the checkpoint past it, in one transaction; the unique
 * (campaign, contact) key makes a replay after a crash a no-op.
 */
export async function writeMaterializedBatch(database: Database, batch: MaterializedBatch): Promise<void> {
  const { sqlite } = database;
  if (sqlite === undefined) return insertMaterializedBatch(database.db, batch);
  const statements = preparedFor(sqlite);
  await writingOnSqlite(database, async () => {
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      for (const m of batch.messages) {
        statements.insert.run(
          batch.campaignId,
          m.contactId,
          m.phone,
          m.status,
          m.statusReason,
          m.rendered,
          m.timeZone ?? null,
          m.nextAttemptAt,
          batch.now,
        );
      }
      statements.checkpoint.run(batch.throughContactId, batch.isLast ? 1 : 0, batch.now, batch.campaignId);
      sqlite.exec('COMMIT');
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      throw error;
    }
  });
}

interface Statements {
  insert: SQLite.Statement;
  checkpoint: SQLite.Statement;
}

const prepared = new WeakMap<SQLite.Database, Statements>();

function preparedFor(sqlite: SQLite.Database): Statements {
  let statements = prepared.get(sqlite);
  if (statements === undefined) {
    statements = {
      insert: sqlite.prepare(`insert into messages (campaign_id, contact_id, phone, status, status_reason, rendered,
          time_zone, next_attempt_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
        on conflict (campaign_id, contact_id) do nothing`),
      checkpoint: sqlite.prepare(
        'update campaigns set materialized_through = ?, is_materialized = ?, updated_at = ? where id = ?',
      ),
    };
    prepared.set(sqlite, statements);
  }
  return statements;
}
