// The reads behind a person's data export: their messages with campaign and template, each
// message's status events, and the messages they sent us.
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import { inChunks } from './sql-batch.ts';

/** Reads rows for many ids, a bounded chunk of ids a statement. */
async function readInChunks<T>(ids: readonly number[], read: (chunk: number[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (const chunk of inChunks(ids, 1_000)) rows.push(...(await read(chunk)));
  return rows;
}

/** These messages with their campaign and template, oldest first. */
export async function listMessageDetails(db: Kysely<DB>, ids: readonly number[]) {
  const rows = await readInChunks(ids, (chunk) =>
    db
      .selectFrom('messages as m')
      .innerJoin('campaigns as c', 'c.id', 'm.campaign_id')
      .innerJoin('templates as t', 't.id', 'c.template_id')
      .select([
        'm.id',
        'm.campaign_id',
        'c.name as campaign_name',
        'c.sender_id',
        't.name as template_name',
        't.language as template_language',
        't.category as template_category',
        'm.status',
        'm.status_reason',
        'm.rendered',
        'm.attempts',
        'm.wamid',
        'm.error_code',
        'm.error_title',
        'm.error_details',
        'm.pricing_category',
        'm.billable',
        'm.accepted_at',
        'm.sent_at',
        'm.delivered_at',
        'm.read_at',
        'm.failed_at',
        'm.updated_at',
      ])
      .where('m.id', 'in', chunk)
      .execute(),
  );
  return rows.sort((a, b) => a.id - b.id);
}

/** The status events stored for these messages (status and times; payloads stay inside). */
export async function listStatusEventsOf(db: Kysely<DB>, messageIds: readonly number[]) {
  const rows = await readInChunks(messageIds, (chunk) =>
    db
      .selectFrom('status_events')
      .select(['message_id', 'status', 'occurred_at', 'received_at'])
      .where('message_id', 'in', chunk)
      .execute(),
  );
  return rows.sort((a, b) => a.occurred_at - b.occurred_at);
}

/** Every message this number sent us, oldest first. */
export async function listRepliesFrom(db: Kysely<DB>, phone: string) {
  return db
    .selectFrom('inbound_messages')
    .select([
      'wamid',
      'type',
      'text',
      'context_wamid',
      'campaign_id',
      'message_id',
      'phone_number_id',
      'occurred_at',
      'received_at',
      'payload',
    ])
    .where('phone', '=', phone)
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
}
