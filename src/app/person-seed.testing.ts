// Test support: one person with a trace in every table that can hold one (contact, tags,
// attributes, consent ledger, suppression, delivered and pending messages, a send attempt, status
// events matched and waiting, a reply, a recipient window, a webhook inbox batch and an unrouted
// event), beside another person who must be left alone. Built through the app's own paths where
// they exist (import, campaigns, materialise, status events, webhook inbox).
import { Readable } from 'node:stream';
import { materialiseCampaign } from '../dispatch/materialiser.ts';
import { welcome } from '../domain/template-fixtures.testing.ts';
import type { Database } from '../store/db.ts';
import { insertInbound } from '../store/inbound-repo.ts';
import { setMessageOutcomeForTest } from '../store/report-outcomes.testing.ts';
import { recordStatusEvents, type StatusEventInput } from '../store/status-events-repo.ts';
import { addSuppression } from '../store/suppressions-repo.ts';
import { stashStatusEvents } from '../store/webhook-inbox-repo.ts';
import { keepUnroutedEvents } from '../store/webhook-unrouted-repo.ts';
import { campaignInputSchema } from './campaign-input.ts';
import { seedSenderAndTemplates } from './campaign-report-seed.testing.ts';
import { changeCampaignStatus, createCampaign, requireCampaign } from './campaigns.ts';
import { importContacts } from './import-contacts.ts';

/** The seed's clock. */
export const PERSON_NOW = 1_800_000_000_000;

/** The person to erase, and what would identify them anywhere. */
export const PERSON = {
  phone: '+4915187654321',
  digits: '4915187654321',
  firstName: 'Zelda',
  lastName: 'Quixote',
  attribute: 'ZQ-SECRET-77',
  // A real wamid carries the number (migration 0006); so does this one.
  wamid: 'wamid.HBgN4915187654321FQIAERgS',
} as const;

/** Someone else, whose data an erasure must leave as it is. */
export const OTHER = { phone: '+4915112340000', digits: '4915112340000', wamid: 'wamid.HBgN4915112340000AAA' };

/** What was seeded: the delivered campaign and the one still sending. */
export interface PersonSeed {
  deliveredCampaignId: number;
  runningCampaignId: number;
  personMessageId: number;
}

async function startCampaign(database: Database, name: string, tag: string): Promise<number> {
  const input = campaignInputSchema.parse({
    name,
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}} {{attr.code|x}}'] },
    audience: { tags: [tag] },
  });
  const id = Number((await createCampaign(database, input, PERSON_NOW)).id);
  await changeCampaignStatus(database, id, 'start', PERSON_NOW);
  await materialiseCampaign(database, await requireCampaign(database, id), welcome, () => PERSON_NOW);
  return id;
}

/** A status webhook event for a message, as the parser makes it. */
export function statusEvent(wamid: string, digits: string, messageId: number | null, status: 'delivered' | 'read') {
  return {
    wamid,
    status,
    occurredAt: PERSON_NOW + 10_000,
    callbackData: messageId === null ? null : String(messageId),
    error: null,
    pricing: null,
    raw: { id: wamid, status, recipient_id: digits, timestamp: '1800000010' },
  } satisfies StatusEventInput;
}

/** Seeds the person and the other one (see the file's head). */
export async function seedPerson(database: Database): Promise<PersonSeed> {
  const { db } = database;
  await seedSenderAndTemplates(database);
  const csv = `phone,first_name,last_name,code,tags,opted_in_at\n${PERSON.phone},${PERSON.firstName},${PERSON.lastName},${PERSON.attribute},vip;later,2026-01-05T10:00:00Z\n${OTHER.phone},Olga,Other,O-1,vip;later,2026-01-05T10:00:00Z\n`;
  await importContacts(database, Readable.from([csv]), { fileName: 'people.csv' }, () => PERSON_NOW);
  const deliveredCampaignId = await startCampaign(database, 'Delivered', 'vip');
  const runningCampaignId = await startCampaign(database, 'Running', 'later');
  const accepted = (wamid: string) => ({ status: 'accepted' as const, accepted_at: PERSON_NOW + 5_000, wamid });
  await setMessageOutcomeForTest(db, deliveredCampaignId, PERSON.phone, accepted(PERSON.wamid));
  await setMessageOutcomeForTest(db, deliveredCampaignId, OTHER.phone, accepted(OTHER.wamid));
  const message = await db
    .selectFrom('messages')
    .select('id')
    .where('wamid', '=', PERSON.wamid)
    .executeTakeFirstOrThrow();
  const personMessageId = Number(message.id);
  await seedTraces(database, personMessageId, deliveredCampaignId);
  return { deliveredCampaignId, runningCampaignId, personMessageId };
}

async function seedTraces(database: Database, personMessageId: number, campaignId: number): Promise<void> {
  const { db } = database;
  await db
    .insertInto('message_attempts')
    .values({
      message_id: personMessageId,
      attempt: 1,
      started_at: PERSON_NOW,
      finished_at: PERSON_NOW + 5_000,
      outcome: 'accepted',
      wamid: PERSON.wamid,
    })
    .execute();
  await recordStatusEvents(db, [statusEvent(PERSON.wamid, PERSON.digits, personMessageId, 'delivered')], PERSON_NOW);
  await recordStatusEvents(db, [statusEvent(`${PERSON.wamid}.old`, PERSON.digits, null, 'read')], PERSON_NOW);
  await stashStatusEvents(
    db,
    [
      statusEvent(PERSON.wamid, PERSON.digits, personMessageId, 'read'),
      statusEvent(OTHER.wamid, OTHER.digits, null, 'read'),
    ],
    PERSON_NOW,
  );
  const profile = { profile: { name: `${PERSON.firstName} ${PERSON.lastName}` }, wa_id: PERSON.digits };
  await keepUnroutedEvents(
    db,
    [{ kind: 'message', phoneNumberId: '999', businessAccountId: null, payload: JSON.stringify(profile) }],
    PERSON_NOW,
  );
  const text = `${PERSON.firstName} here, please stop`;
  await insertInbound(
    db,
    {
      wamid: `${PERSON.wamid}.in`,
      phone: PERSON.phone,
      type: 'text',
      text,
      contextWamid: PERSON.wamid,
      phoneNumberId: 'p1',
      occurredAt: PERSON_NOW + 20_000,
      payload: JSON.stringify({ from: PERSON.digits, text: { body: text }, contacts: [profile] }),
    },
    { campaignId, messageId: personMessageId },
    null,
    PERSON_NOW + 20_000,
  );
  await db
    .insertInto('recipient_sends')
    .values({ sender_id: 'default', phone: PERSON.phone, window_started_at: PERSON_NOW, last_sent_at: PERSON_NOW })
    .execute();
  await addSuppression(db, { phone: PERSON.phone, reason: 'opted_out', source: 'keyword', now: PERSON_NOW + 30_000 });
}

/** Every row of every table, as JSON text, by table (tests read it for traces of a person). */
export async function dumpEveryTable(database: Database): Promise<Map<string, string[]>> {
  const { db } = database;
  const dump = new Map<string, string[]>();
  for (const table of await db.introspection.getTables({ withInternalKyselyTables: true })) {
    const rows = await db
      .selectFrom(table.name as 'contacts')
      .selectAll()
      .execute();
    dump.set(
      table.name,
      rows.map((row) => JSON.stringify(row)),
    );
  }
  return dump;
}
