// What an erasure changes in the rows kept for counts: message rows, their attempts and status
// events, replies and recipient windows keep their statuses, times and campaign, and lose every
// trace of the person (number, rendered body, wamids, which begin with the number, free-text error
// details). The person's rows share one stand-in (domain/erased-recipient.ts) in place of the number.
import { type Kysely, sql } from 'kysely';
import type { DB } from './schema.ts';
import { inChunks } from './sql-batch.ts';

/** A message sent (or to be sent) to the person. */
export interface PersonMessage {
  id: number;
  wamid: string | null;
  status: string;
}

/**
 * The person's messages: by contact id, one probe of the (campaign, contact) key per campaign, and
 * by number among the messages Meta accepted (the partial phone index), which also finds those of
 * an earlier contact with the same number.
 */
export async function findPersonMessages(
  db: Kysely<DB>,
  person: { contactId: number | undefined; phone: string },
): Promise<PersonMessage[]> {
  const found = new Map<number, PersonMessage>();
  const keep = (rows: PersonMessage[]) => {
    for (const row of rows) found.set(Number(row.id), { ...row, id: Number(row.id) });
  };
  const { contactId } = person;
  if (contactId !== undefined) {
    keep(
      await db
        .selectFrom('campaigns as c')
        .innerJoin('messages as m', (join) =>
          join.onRef('m.campaign_id', '=', 'c.id').on('m.contact_id', '=', contactId),
        )
        .select(['m.id', 'm.wamid', 'm.status'])
        .execute(),
    );
  }
  keep(
    await db
      .selectFrom('messages')
      .select(['id', 'wamid', 'status'])
      .where('phone', '=', person.phone)
      .where('accepted_at', 'is not', null)
      .execute(),
  );
  return [...found.values()].sort((a, b) => a.id - b.id);
}

/** What scrubbing the person's messages changed. */
export interface ScrubbedMessages {
  messages: number;
  statusEvents: number;
}

/**
 * Puts the stand-in in place of the number of these messages and drops their bodies, wamids and
 * error details; their status events lose payload and wamid, their attempts the wamid. Status and
 * times stay, so every count does. contact_id becomes minus the row id: never a contact's id again.
 */
export async function scrubMessages(
  db: Kysely<DB>,
  ids: readonly number[],
  standIn: string,
): Promise<ScrubbedMessages> {
  const scrubbed: ScrubbedMessages = { messages: 0, statusEvents: 0 };
  for (const chunk of inChunks(ids, 1_000)) {
    const events = await db
      .updateTable('status_events')
      .set({ payload: '{}', wamid: sql<string>`'erased:' || id` })
      .where('message_id', 'in', chunk)
      .executeTakeFirst();
    scrubbed.statusEvents += Number(events.numUpdatedRows);
    await db.updateTable('message_attempts').set({ wamid: null }).where('message_id', 'in', chunk).execute();
    const messages = await db
      .updateTable('messages')
      .set({
        phone: standIn,
        rendered: null,
        time_zone: null,
        error_details: null,
        wamid: sql<string | null>`case when wamid is null then null else 'erased:' || id end`,
        contact_id: sql<number>`-id`,
      })
      .where('id', 'in', chunk)
      .executeTakeFirst();
    scrubbed.messages += Number(messages.numUpdatedRows);
  }
  return scrubbed;
}

/** Notes messages whose send was in flight when their person was erased: the answer will bring a wamid back. */
export async function addErasureFollowups(db: Kysely<DB>, ids: readonly number[], standIn: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .insertInto('erasure_followups')
    .values(ids.map((id) => ({ message_id: id, stand_in: standIn })))
    .onConflict((oc) => oc.column('message_id').doNothing())
    .execute();
}

/** Scrubs again the followed-up messages whose send has been answered, and forgets them; answers how many. */
export async function settleErasureFollowups(db: Kysely<DB>): Promise<number> {
  const answered = await db
    .selectFrom('erasure_followups as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .select(['f.message_id', 'f.stand_in'])
    .where('m.status', '!=', 'sending')
    .execute();
  const byStandIn = new Map<string, number[]>();
  for (const row of answered)
    byStandIn.set(row.stand_in, [...(byStandIn.get(row.stand_in) ?? []), Number(row.message_id)]);
  for (const [standIn, ids] of byStandIn) {
    await scrubMessages(db, ids, standIn);
    await db.deleteFrom('erasure_followups').where('message_id', 'in', ids).execute();
  }
  return answered.length;
}

/** Replies from the number keep their type, time and campaign; number, text, payload and wamids go. */
export async function scrubReplies(db: Kysely<DB>, phone: string, standIn: string): Promise<number> {
  const result = await db
    .updateTable('inbound_messages')
    .set({
      phone: standIn,
      text: null,
      payload: '{}',
      wamid: sql<string>`'erased:' || id`,
      context_wamid: null,
      contact_id: null,
    })
    .where('phone', '=', phone)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The number's rolling-24 h windows keep counting against each sender's cap, under the stand-in. */
export async function scrubRecipientWindows(db: Kysely<DB>, phone: string, standIn: string): Promise<number> {
  const result = await db
    .updateTable('recipient_sends')
    .set({ phone: standIn })
    // One probe of the (sender, phone) key per sender.
    .where('sender_id', 'in', db.selectFrom('senders').select('id'))
    .where('phone', '=', phone)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Deletes a contact with its tags and ledger entries; answers how many of each went, or undefined when none existed. */
export async function deleteContact(
  db: Kysely<DB>,
  id: number,
): Promise<{ tags: number; consentEntries: number } | undefined> {
  // Deleted explicitly as well as by cascade, so erasure never depends on foreign keys being on.
  const tags = await db.deleteFrom('contact_tags').where('contact_id', '=', id).executeTakeFirst();
  const entries = await db.deleteFrom('consent_events').where('contact_id', '=', id).executeTakeFirst();
  const contact = await db.deleteFrom('contacts').where('id', '=', id).executeTakeFirst();
  if (Number(contact.numDeletedRows) === 0) return undefined;
  return { tags: Number(tags.numDeletedRows), consentEntries: Number(entries.numDeletedRows) };
}

/**
 * Every number the database holds in plain (contacts, the suppression list, replies), a page at a
 * time in phone order: what a restore checks against erasures recorded elsewhere.
 */
export async function* pageHeldPhones(db: Kysely<DB>, pageSize: number): AsyncGenerator<string[]> {
  for (const table of ['contacts', 'suppressions', 'inbound_messages'] as const) {
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom(table as 'contacts')
        .select('phone')
        .distinct()
        .where('phone', '>', after)
        .where('phone', 'like', '+%')
        .orderBy('phone')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) break;
      yield rows.map((r) => r.phone);
      after = (rows.at(-1) as { phone: string }).phone;
    }
  }
}
