import {
  DEFAULT_MIGRATION_TABLE,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  sql,
} from 'kysely';
import type { Database } from './db.ts';
import { contactsMigration } from './migrations/0001-contacts.ts';
import { campaignsMigration } from './migrations/0002-campaigns.ts';
import { webhookInboxMigration } from './migrations/0003-webhook-inbox.ts';
import { partialPhoneIndexMigration } from './migrations/0004-partial-phone-index.ts';
import { webhookInboxRetriesMigration } from './migrations/0005-webhook-inbox-retries.ts';
import { statusEventsByMessageMigration } from './migrations/0006-status-events-by-message.ts';
import { senderStateMigration } from './migrations/0008-sender-state.ts';
import { usersAndAuditMigration } from './migrations/0009-users-and-audit.ts';
import { senderAccountsMigration } from './migrations/0010-sender-accounts.ts';
import { clusterLimitsMigration } from './migrations/0011-cluster-limits.ts';
import { dataRightsMigration } from './migrations/0012-data-rights.ts';
import { formsAndWebhooksMigration } from './migrations/0013-forms-and-webhooks.ts';
import { campaignPagesMigration } from './migrations/0014-campaign-pages.ts';
import { libraryPagesMigration } from './migrations/0015-library-pages.ts';
import { dashboardReadsMigration } from './migrations/0016-dashboard-reads.ts';
import type { MigrationFactory } from './migrations/columns.ts';

/** Every migration in order; the names are versions and never change once released. */
const MIGRATIONS = {
  '0001-contacts': contactsMigration,
  '0002-campaigns': campaignsMigration,
  '0003-webhook-inbox': webhookInboxMigration,
  '0004-partial-phone-index': partialPhoneIndexMigration,
  '0005-webhook-inbox-retries': webhookInboxRetriesMigration,
  '0006-status-events-by-message': statusEventsByMessageMigration,
  '0008-sender-state': senderStateMigration,
  '0009-users-and-audit': usersAndAuditMigration,
  '0010-sender-accounts': senderAccountsMigration,
  '0011-cluster-limits': clusterLimitsMigration,
  '0012-data-rights': dataRightsMigration,
  '0014-campaign-pages': campaignPagesMigration,
  '0013-forms-and-webhooks': formsAndWebhooksMigration,
  '0015-library-pages': libraryPagesMigration,
  '0016-dashboard-reads': dashboardReadsMigration,
} satisfies Record<string, MigrationFactory>;

/** Brings the schema up to date; run at every start, on SQLite and PostgreSQL alike. */
export function migrateToLatest(database: Database): Promise<string[]> {
  return migrate(database, (migrator) => migrator.migrateToLatest());
}

/** The name of every migration this version of Chorus knows, oldest first. */
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(MIGRATIONS);

/** A migration's name: its version. */
export type MigrationName = keyof typeof MIGRATIONS;

/** Brings the schema up to the named migration (tests of a migration over data stored before it). */
export function migrateTo(database: Database, name: MigrationName): Promise<string[]> {
  return migrate(database, (migrator) => migrator.migrateTo(name));
}

async function migrate(database: Database, run: (migrator: Migrator) => Promise<MigrationResultSet>) {
  const provider: MigrationProvider = {
    async getMigrations() {
      const built: Record<string, Migration> = {};
      for (const [name, factory] of Object.entries(MIGRATIONS)) built[name] = factory(database.dialect);
      return built;
    },
  };
  const { error, results } = await run(new Migrator({ db: database.db, provider, allowUnorderedMigrations: true }));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Which migrations this database has: applied, still to run, and applied by a newer Chorus (unknown here). */
export interface MigrationState {
  applied: string[];
  pending: string[];
  unknown: string[];
}

/** Reads the migration state without changing anything (chorus doctor). */
export async function readMigrationState(database: Database): Promise<MigrationState> {
  const known = Object.keys(MIGRATIONS);
  const executed = await readExecutedMigrations(database);
  return {
    applied: known.filter((name) => executed.includes(name)),
    pending: known.filter((name) => !executed.includes(name)),
    unknown: executed.filter((name) => !known.includes(name)),
  };
}

/** Names in Kysely's migration table; none when the table does not exist yet (a database never migrated). */
async function readExecutedMigrations(database: Database): Promise<string[]> {
  const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(DEFAULT_MIGRATION_TABLE)}`.execute(
    database.db,
  );
  return rows.map((r) => r.name);
}
