// Test support only: puts seeded messages into the states a real campaign reaches, without
// going through the send and webhook paths (those have their own tests).
import type { Kysely, Updateable } from 'kysely';
import type { DB, MessagesTable } from './schema.ts';

/** Overwrites columns of the campaign's message to `phone` (tests only). */
export async function setMessageOutcomeForTest(
  db: Kysely<DB>,
  campaignId: number,
  phone: string,
  changes: Updateable<MessagesTable>,
): Promise<void> {
  const result = await db
    .updateTable('messages')
    .set(changes)
    .where('campaign_id', '=', campaignId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`no message to ${phone} in campaign ${campaignId}`);
}
