import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countMessagesByStatus } from '../store/outbox-repo.ts';
import { recordStatusEvents } from '../store/status-events-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { stashStatusEvents } from '../store/webhook-inbox-repo.ts';
import { OTHER, PERSON, PERSON_NOW, type PersonSeed, seedPerson, statusEvent } from './person-seed.testing.ts';
import { runRetention } from './retention.ts';

const DAY_MS = 86_400_000;
const LATER = PERSON_NOW + 31 * DAY_MS;
const POLICY = { payloadDays: 30, bodyDays: 30 };

describe.each(TEST_BACKENDS)('retention on %s', (backend) => {
  let test: TestDatabase;
  let seed: PersonSeed;
  const db = () => test.database.db;
  const payloads = async (table: 'status_events' | 'inbound_messages') =>
    (await db().selectFrom(table).select('payload').orderBy('id').execute()).map((r) => r.payload);

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    seed = await seedPerson(test.database);
    // More old events than one batch, then one that arrives just before the purge: not yet old.
    for (let i = 0; i < 5; i++)
      await recordStatusEvents(db(), [statusEvent(`wamid.old.${i}`, OTHER.digits, null, 'read')], PERSON_NOW + i);
    await recordStatusEvents(db(), [statusEvent(OTHER.wamid, OTHER.digits, null, 'delivered')], LATER - DAY_MS);
    await db().updateTable('webhook_inbox').set({ set_aside_at: PERSON_NOW, attempts: 5 }).execute();
    await stashStatusEvents(db(), [statusEvent(OTHER.wamid, OTHER.digits, null, 'read')], PERSON_NOW);
    await db()
      .updateTable('campaigns')
      .set({ status: 'completed', finished_at: PERSON_NOW + 1 })
      .where('id', '=', seed.deliveredCampaignId)
      .execute();
  });
  afterAll(async () => test.drop());

  it('keeps everything when no retention is set, but recipient records no limit needs', async () => {
    const report = await runRetention(test.database, { payloadDays: undefined, bodyDays: undefined }, () => LATER);
    expect(Object.entries(report).filter(([, n]) => n > 0)).toEqual([['closed_recipient_windows', 1]]);
    expect(await db().selectFrom('recipient_sends').select('phone').execute()).toEqual([]);
    expect((await payloads('status_events')).filter((p) => p === '{}')).toEqual([]);
  });

  it('purges old payloads and bodies in small batches; statuses, counts and new rows stay', async () => {
    const counts = await countMessagesByStatus(db(), seed.deliveredCampaignId);
    const report = await runRetention(test.database, POLICY, () => LATER, 2);
    expect(report).toEqual({
      // The matched event of the person's message; the old waiting ones are deleted.
      status_event_payloads: 7,
      inbound_payloads: 1,
      unrouted_webhook_events: 1,
      set_aside_inbox_batches: 1,
      reply_texts: 1,
      message_bodies: 2,
      campaigns_with_bodies_purged: 1,
      erasure_followups: 0,
      closed_recipient_windows: 0,
    });
    const events = await db()
      .selectFrom('status_events')
      .select(['wamid', 'payload', 'message_id'])
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { wamid: PERSON.wamid, payload: '{}', message_id: seed.personMessageId },
      { wamid: OTHER.wamid, payload: expect.stringContaining(OTHER.digits), message_id: expect.any(Number) },
    ]);
    expect(await payloads('inbound_messages')).toEqual(['{}']);
    const reply = await db().selectFrom('inbound_messages').select(['text', 'type']).executeTakeFirstOrThrow();
    expect(reply).toEqual({ text: null, type: 'text' });
    expect(await db().selectFrom('webhook_unrouted').select('id').execute()).toEqual([]);
    // The batch waiting to be applied is work to do, not history: it stays.
    expect(await db().selectFrom('webhook_inbox').select('set_aside_at').execute()).toEqual([{ set_aside_at: null }]);
    const bodies = await db().selectFrom('messages').select(['campaign_id', 'rendered']).orderBy('id').execute();
    expect(bodies.filter((m) => m.campaign_id === seed.deliveredCampaignId).map((m) => m.rendered)).toEqual([
      null,
      null,
    ]);
    // A campaign still running keeps its bodies: it may yet send them.
    expect(bodies.filter((m) => m.campaign_id === seed.runningCampaignId && m.rendered !== null)).toHaveLength(2);
    expect(await countMessagesByStatus(db(), seed.deliveredCampaignId)).toEqual(counts);
  });

  it('finds nothing more at once, and purges the newer event once it is old in turn', async () => {
    const again = await runRetention(test.database, POLICY, () => LATER, 2);
    expect(Object.values(again).every((n) => n === 0)).toBe(true);
    const later = await runRetention(test.database, POLICY, () => LATER + 30 * DAY_MS, 2);
    expect(later.status_event_payloads).toBe(1);
    expect(await payloads('status_events')).toEqual(['{}', '{}']);
  });
});
