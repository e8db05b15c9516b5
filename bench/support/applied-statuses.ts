// What a webhook bench reads back from the store: how many of a campaign's messages have all
// three statuses applied, and how many status events were stored for them.
import { type Kysely, sql } from 'kysely';
import type { DB } from '../../src/store/schema.ts';
import { sleep } from './machine.ts';

/** Messages of the campaign with sent, delivered and read all recorded. */
export async function countCompleteMessages(db: Kysely<DB>, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select(sql<number>`count(*)`.as('n'))
    .where('campaign_id', '=', campaignId)
    .where('sent_at', 'is not', null)
    .where('delivered_at', 'is not', null)
    .where('read_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Waits until `expected` messages of the campaign have all three statuses, or `timeoutMs` passes. */
export async function waitForCompleteMessages(
  db: Kysely<DB>,
  campaignId: number,
  expected: number,
  timeoutMs: number,
  everyMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await countCompleteMessages(db, campaignId)) < expected && Date.now() < deadline) await sleep(everyMs);
}

/** Status events stored for the campaign's messages (repeats of one event are stored once). */
export async function countStoredStatusEvents(db: Kysely<DB>, campaignId: number): Promise<number> {
  const row = await db
    .selectFrom('status_events as e')
    .innerJoin('messages as m', 'm.wamid', 'e.wamid')
    .select(sql<number>`count(*)`.as('n'))
    .where('m.campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
