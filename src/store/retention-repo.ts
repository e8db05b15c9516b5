// Retention purges, one short transaction a batch, so a large purge never holds SQLite's write lock
// for long (the caller lets other work in between). Webhook rows are walked in id order from a
// mark (retention_marks): ids grow with arrival, so everything up to the mark is purged and each
// row is read once, however large the tables grow. Message bodies go campaign by campaign.
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** What one batch did, and whether the purge is through for now. */
export interface PurgeStep {
  changed: number;
  isDone: boolean;
}

type MarkedTable = 'status_events' | 'inbound_messages';

async function readMark(db: Kysely<DB>, name: string): Promise<number> {
  const row = await db.selectFrom('retention_marks').select('through_id').where('name', '=', name).executeTakeFirst();
  return row ? Number(row.through_id) : 0;
}

async function writeMark(db: Kysely<DB>, name: string, throughId: number): Promise<void> {
  await db
    .insertInto('retention_marks')
    .values({ name, through_id: throughId })
    .onConflict((oc) => oc.column('name').doUpdateSet({ through_id: throughId }))
    .execute();
}

/**
 * One batch of a marked purge: the next rows after the mark that arrived before `cutoffMs`
 * (stopping at the first newer one) are handed to `purge`, and the mark moves past them.
 */
async function purgeAfterMark(
  db: Kysely<DB>,
  walk: { table: MarkedTable; mark: string; cutoffMs: number; limit: number },
  purge: (trx: Kysely<DB>, rows: { id: number; message_id: number | null }[]) => Promise<number>,
): Promise<PurgeStep> {
  return db.transaction().execute(async (trx) => {
    const through = await readMark(trx, walk.mark);
    const rows = await trx
      .selectFrom(walk.table as 'status_events')
      .select(['id', 'received_at', 'message_id'])
      .where('id', '>', through)
      .orderBy('id')
      .limit(walk.limit)
      .execute();
    const firstNew = rows.findIndex((r) => Number(r.received_at) >= walk.cutoffMs);
    const old = firstNew < 0 ? rows : rows.slice(0, firstNew);
    if (old.length === 0) return { changed: 0, isDone: true };
    const changed = await purge(
      trx,
      old.map((r) => ({ id: Number(r.id), message_id: r.message_id === null ? null : Number(r.message_id) })),
    );
    await writeMark(trx, walk.mark, (old.at(-1) as { id: number }).id);
    return { changed, isDone: firstNew >= 0 || rows.length < walk.limit };
  });
}

/**
 * Status events received before the cutoff lose their raw payload; those that never found their
 * message (they would have by now) are deleted, since their payload is all they are.
 */
export function purgeStatusEventPayloads(db: Kysely<DB>, cutoffMs: number, limit: number): Promise<PurgeStep> {
  return purgeAfterMark(
    db,
    { table: 'status_events', mark: 'status_events.payload', cutoffMs, limit },
    async (trx, rows) => {
      const matched = rows.filter((r) => r.message_id !== null).map((r) => r.id);
      const waiting = rows.filter((r) => r.message_id === null).map((r) => r.id);
      let changed = 0;
      if (matched.length > 0) {
        const result = await trx
          .updateTable('status_events')
          .set({ payload: '{}' })
          .where('id', 'in', matched)
          .where('payload', '!=', '{}')
          .executeTakeFirst();
        changed += Number(result.numUpdatedRows);
      }
      if (waiting.length > 0) {
        const result = await trx.deleteFrom('status_events').where('id', 'in', waiting).executeTakeFirst();
        changed += Number(result.numDeletedRows);
      }
      return changed;
    },
  );
}

/** Replies received before the cutoff lose their raw payload (`what` payload) or their text (`what` text). */
export function purgeInbound(
  db: Kysely<DB>,
  what: 'payload' | 'text',
  cutoffMs: number,
  limit: number,
): Promise<PurgeStep> {
  const walk = { table: 'inbound_messages' as const, mark: `inbound_messages.${what}`, cutoffMs, limit };
  return purgeAfterMark(db, walk, async (trx, rows) => {
    const ids = rows.map((r) => r.id);
    const query = trx.updateTable('inbound_messages').where('id', 'in', ids);
    const result =
      what === 'payload'
        ? await query.set({ payload: '{}' }).where('payload', '!=', '{}').executeTakeFirst()
        : await query.set({ text: null }).where('text', 'is not', null).executeTakeFirst();
    return Number(result.numUpdatedRows);
  });
}

/** Deletes up to `limit` kept webhook rows received before the cutoff: events for no sender, and inbox batches set aside. */
export async function deleteOldWebhookRows(
  db: Kysely<DB>,
  table: 'webhook_unrouted' | 'webhook_inbox',
  cutoffMs: number,
  limit: number,
): Promise<PurgeStep> {
  let oldest = db
    .selectFrom(table as 'webhook_inbox')
    .select('id')
    .where('received_at', '<', cutoffMs)
    .orderBy('id')
    .limit(limit);
  // Inbox batches still waiting to be applied are work to do, not history: only those set aside go.
  if (table === 'webhook_inbox') oldest = oldest.where('set_aside_at', 'is not', null);
  const result = await db
    .deleteFrom(table as 'webhook_inbox')
    .where('id', 'in', oldest)
    .executeTakeFirst();
  const changed = Number(result.numDeletedRows);
  return { changed, isDone: changed < limit };
}

/** The next campaign that ended before the cutoff and still holds its messages' bodies, if any. */
export async function findCampaignWithOldBodies(db: Kysely<DB>, cutoffMs: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('campaigns')
    .select('id')
    .where('status', 'in', ['completed', 'cancelled'])
    .where('finished_at', '<', cutoffMs)
    .where('bodies_purged_at', 'is', null)
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

/** The id range of a campaign's messages, walked in slices by purgeBodiesInRange. */
export async function campaignMessageIdRange(db: Kysely<DB>, campaignId: number) {
  const row = await db
    .selectFrom('messages')
    .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
    .where('campaign_id', '=', campaignId)
    .executeTakeFirstOrThrow();
  return row.first === null ? undefined : { first: Number(row.first), last: Number(row.last) };
}

/** Drops the rendered bodies of a campaign's messages with ids in [fromId, toId): one primary-key range. */
export async function purgeBodiesInRange(db: Kysely<DB>, campaignId: number, fromId: number, toId: number) {
  const result = await db
    .updateTable('messages')
    .set({ rendered: null })
    .where('id', '>=', fromId)
    .where('id', '<', toId)
    .where('campaign_id', '=', campaignId)
    .where('rendered', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Notes that a campaign's bodies are purged, so no later run walks it again. */
export async function markBodiesPurged(db: Kysely<DB>, campaignId: number, now: number): Promise<void> {
  await db.updateTable('campaigns').set({ bodies_purged_at: now }).where('id', '=', campaignId).execute();
}

/**
 * Deletes up to `limit` recipient records whose window closed and whose last send is older than
 * the cutoff: they only serve the rolling-24 h cap and the pair-rate gap, and each names a number.
 */
export async function deleteClosedRecipientWindows(
  db: Kysely<DB>,
  cutoffMs: number,
  limit: number,
): Promise<PurgeStep> {
  const closed = db
    .selectFrom('recipient_sends')
    .select(['sender_id', 'phone'])
    // The (sender, window start) index finds them, one sender after another.
    .where('sender_id', 'in', db.selectFrom('senders').select('id'))
    .where('window_started_at', '<', cutoffMs)
    .where('last_sent_at', '<', cutoffMs)
    .limit(limit);
  const rows = await closed.execute();
  if (rows.length === 0) return { changed: 0, isDone: true };
  let changed = 0;
  await db.transaction().execute(async (trx) => {
    for (const [senderId, phones] of groupBySender(rows)) {
      const result = await trx
        .deleteFrom('recipient_sends')
        .where('sender_id', '=', senderId)
        .where('phone', 'in', phones)
        .where('last_sent_at', '<', cutoffMs)
        .executeTakeFirst();
      changed += Number(result.numDeletedRows);
    }
  });
  return { changed, isDone: rows.length < limit };
}

function groupBySender(rows: readonly { sender_id: string; phone: string }[]): Map<string, string[]> {
  const bySender = new Map<string, string[]>();
  for (const r of rows) bySender.set(r.sender_id, [...(bySender.get(r.sender_id) ?? []), r.phone]);
  return bySender;
}
