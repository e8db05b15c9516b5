// Stored webhook payloads that name an erased person outside their message rows: status events
// still waiting for a message, status batches not yet drained from the inbox, and events for no
// known sender. Meta writes a number without its `+` ("recipient_id":"4915…", "from", "wa_id").
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';
import type { StatusEventInput } from './status-event.ts';

/** How an erased person shows in a stored webhook: the number's digits, the wamids and message ids of their messages. */
export interface PersonWebhookTraces {
  digits: string;
  wamids: readonly string[];
  messageIds: readonly number[];
}

/** A JSON string value exactly equal to the digits: never a longer number that contains them. */
const quoted = (digits: string) => `%"${digits}"%`;

/** Deletes status events still waiting for a message that name the person; answers how many. */
export async function deleteWaitingEvents(db: Kysely<DB>, traces: PersonWebhookTraces): Promise<number> {
  const result = await db
    .deleteFrom('status_events')
    // Literally `message_id is null`, so the partial index of waiting events serves the query.
    .where('message_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('payload', 'like', quoted(traces.digits)),
        ...(traces.wamids.length > 0 ? [eb('wamid', 'in', [...traces.wamids])] : []),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Whether a stashed status event is the person's. */
function isPersons(event: StatusEventInput, traces: PersonWebhookTraces): boolean {
  const raw = event.raw as { recipient_id?: unknown } | null;
  return (
    raw?.recipient_id === traces.digits ||
    traces.wamids.includes(event.wamid) ||
    (event.callbackData !== null && traces.messageIds.includes(Number(event.callbackData)))
  );
}

/**
 * Takes the person's events out of the status batches waiting in the webhook inbox (a batch left
 * with none is deleted); the other events of a batch stay, to be applied. Answers how many went.
 */
export async function scrubWebhookInbox(db: Kysely<DB>, traces: PersonWebhookTraces): Promise<number> {
  const patterns = [
    quoted(traces.digits),
    ...traces.wamids.map((wamid) => `%${wamid}%`),
    ...traces.messageIds.map((id) => `%"callbackData":"${id}"%`),
  ];
  const rows = await db
    .selectFrom('webhook_inbox')
    .select(['id', 'events'])
    .where((eb) => eb.or(patterns.map((p) => eb('events', 'like', p))))
    .execute();
  let removed = 0;
  for (const row of rows) {
    const events = JSON.parse(row.events) as StatusEventInput[];
    const kept = events.filter((event) => !isPersons(event, traces));
    removed += events.length - kept.length;
    if (kept.length === events.length) continue;
    if (kept.length === 0) await db.deleteFrom('webhook_inbox').where('id', '=', row.id).execute();
    else
      await db
        .updateTable('webhook_inbox')
        .set({ events: JSON.stringify(kept), event_count: kept.length })
        .where('id', '=', row.id)
        .execute();
  }
  return removed;
}

/** Deletes kept events for no known sender that name the number: kept only for a person to look at, never applied. */
export async function deleteUnroutedEvents(db: Kysely<DB>, digits: string): Promise<number> {
  const result = await db.deleteFrom('webhook_unrouted').where('payload', 'like', quoted(digits)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
