import { type CompiledQuery, type Kysely, type QueryId, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { welcome } from '../domain/template-fixtures.testing.ts';
import { messageStatusesOf, seedPendingCampaign } from './campaign-fixtures.testing.ts';
import { insertMaterializedBatch } from './campaigns-repo.ts';
import { findContactByPhone } from './contacts-repo.ts';
import type { Database } from './db.ts';
import { claimDueMessages, skipPendingForContact } from './outbox-repo.ts';
import type { DB } from './schema.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

const NOW = 1_800_000_000_000;
const PHONES = ['+4915112345001', '+4915112345002', '+4915112345003'];

/** Runs `work` and answers every statement it executed, compiled as the engine received it. */
async function statementsOf(database: Database, work: (db: Kysely<DB>) => Promise<unknown>): Promise<CompiledQuery[]> {
  // Subqueries pass through transformQuery too; only executed statements come back with a result.
  const compiled = new Map<QueryId, CompiledQuery>();
  const executed: CompiledQuery[] = [];
  const executor = database.db.getExecutor();
  await work(
    database.db.withPlugin({
      transformQuery: ({ node, queryId }) => {
        compiled.set(queryId, executor.compileQuery(node, queryId));
        return node;
      },
      transformResult: async ({ result, queryId }) => {
        const statement = compiled.get(queryId);
        if (statement) executed.push(statement);
        return result;
      },
    }),
  );
  return executed;
}

/** The engine's plan for one statement, one line a step. */
async function planOf(database: Database, statement: CompiledQuery): Promise<string> {
  const prefix = database.dialect === 'postgres' ? 'explain ' : 'explain query plan ';
  const { rows } = await database.db.executeQuery<Record<string, unknown>>({
    ...statement,
    sql: prefix + statement.sql,
  });
  return rows.map((row) => String(row['QUERY PLAN'] ?? row.detail)).join('\n');
}

/**
 * Fills a campaign with `count` more pending messages to other people. PostgreSQL plans by its
 * statistics: over a handful of rows any plan is cheap and it may pick one that scans, so the
 * plan is asked of a table whose statistics look like a queue of thousands.
 */
async function fillQueue(database: Database, campaignId: number, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, i) => ({
    contactId: 1_000_000 + i,
    phone: `+4915199${String(i).padStart(6, '0')}`,
    status: 'pending' as const,
    statusReason: null,
    rendered: '{}',
    nextAttemptAt: NOW,
  }));
  await insertMaterializedBatch(database.db, { campaignId, messages, throughContactId: 0, isLast: false, now: NOW });
  if (database.dialect === 'postgres') await sql`analyze messages`.execute(database.db);
}

// The (campaign, contact) key: SQLite names a table's UNIQUE constraint's index itself.
const BY_CAMPAIGN_AND_CONTACT = {
  sqlite: /SEARCH messages USING INDEX sqlite_autoindex_messages_\d+ \(campaign_id=\? AND contact_id=\?\)/,
  postgres:
    /Index Scan (using|on) messages_one_per_contact[\s\S]*Index Cond: \(\(campaign_id = .*\) AND \(contact_id = /,
};

describe.each(TEST_BACKENDS)('skipping a contact’s pending messages on %s', (backend) => {
  let test: TestDatabase;
  let utilityCampaign: number;
  let marketingCampaign: number;
  const contactOf = async (phone: string) => (await findContactByPhone(test.database.db, phone))?.id as number;
  const statusesOf = (phone: string) => messageStatusesOf(test.database.db, phone);
  const expectKeyLookups = async (skip: (db: Kysely<DB>) => Promise<unknown>) => {
    const statements = await statementsOf(test.database, skip);
    expect(statements).toHaveLength(1);
    const plan = await planOf(test.database, statements[0] as CompiledQuery);
    expect(plan).toMatch(BY_CAMPAIGN_AND_CONTACT[backend]);
    expect(plan).not.toMatch(/SCAN messages|Seq Scan on messages|messages_due/);
  };

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    utilityCampaign = await seedPendingCampaign(test.database.db, NOW, { status: 'running', phones: PHONES });
    marketingCampaign = await seedPendingCampaign(test.database.db, NOW, {
      status: 'paused',
      phones: PHONES,
      definition: welcome,
    });
    await fillQueue(test.database, utilityCampaign, 5_000);
  });
  afterAll(async () => test.drop());

  it('an opt-out looks its messages up by key in each live campaign, never scanning messages', async () => {
    const contactId = await contactOf(PHONES[0] as string);
    await expectKeyLookups((db) => skipPendingForContact(db, contactId, 'suppressed: test', NOW));
    expect(await statusesOf(PHONES[0] as string)).toEqual([
      [utilityCampaign, 'skipped', 'suppressed: test'],
      [marketingCampaign, 'skipped', 'suppressed: test'],
    ]);
  });

  it('so does an opt-out of one purpose, which skips only the categories it bars', async () => {
    const contactId = await contactOf(PHONES[1] as string);
    await expectKeyLookups((db) => skipPendingForContact(db, contactId, 'no_consent: test', NOW, ['MARKETING']));
    expect(await statusesOf(PHONES[1] as string)).toEqual([
      [utilityCampaign, 'pending', null],
      [marketingCampaign, 'skipped', 'no_consent: test'],
    ]);
  });

  it('leaves claimed messages to their outcome, and other contacts alone', async () => {
    const { db, dialect } = test.database;
    const claim = { campaignId: utilityCampaign, limit: 2, now: NOW, leaseUntil: NOW + 60_000, owner: 'w' };
    expect((await claimDueMessages(db, dialect, claim)).map((m) => m.phone).sort()).toEqual([PHONES[1], PHONES[2]]);
    expect(await skipPendingForContact(db, await contactOf(PHONES[2] as string), 'suppressed: test', NOW)).toBe(1);
    expect(await statusesOf(PHONES[2] as string)).toEqual([
      [utilityCampaign, 'sending', null],
      [marketingCampaign, 'skipped', 'suppressed: test'],
    ]);
    expect(await statusesOf(PHONES[1] as string)).toEqual([
      [utilityCampaign, 'sending', null],
      [marketingCampaign, 'skipped', 'no_consent: test'],
    ]);
  });
});
