import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMessagesInFlight } from './campaign-fixtures.testing.ts';
import { recordSendResults } from './send-results-repo.ts';
import { recordStatusEvents, type StatusEventInput } from './status-events-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

// The batched writers must behave as if each event and result were applied one by one, in order.

const NOW = 1_800_000_000_000;

const event = (
  wamid: string,
  status: StatusEventInput['status'],
  at: number,
  callbackData: string | null = null,
): StatusEventInput => ({
  wamid,
  status,
  occurredAt: at,
  callbackData,
  error: status === 'failed' ? { code: 131026, title: 'Message undeliverable', details: null } : null,
  pricing: { model: 'PMP', category: 'utility', billable: true },
  raw: {},
});

/** Meta's answer accepting message `messageId` (a seeded message) as `wamid`. */
const accepted = (messageId: number, wamid: string) =>
  ({
    kind: 'accepted',
    messageId,
    // seedMessagesInFlight's campaign: the first in a fresh database.
    campaignId: 1,
    senderId: 'default',
    phone: `+4915112345${String(messageId).padStart(2, '0')}`,
    wamid,
    at: NOW,
    attempt: { attempt: 1, started_at: NOW, finished_at: NOW, outcome: 'accepted', wamid },
  }) as const;

describe.each(TEST_BACKENDS)('batched status events on %s', (backend) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await seedMessagesInFlight(test.database, NOW, 6);
  });
  afterAll(async () => test.drop());

  const row = (id: number) =>
    test.database.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('applies one batch in order: a callback match names the wamid the next event finds, repeats count once', async () => {
    const applied = await recordStatusEvents(
      test.database.db,
      [
        event('wamid.b1', 'delivered', NOW + 2),
        event('wamid.b1', 'sent', NOW + 1, '1'),
        event('wamid.b1', 'sent', NOW + 1, '1'),
        event('wamid.b2', 'read', NOW + 3, '2'),
        event('wamid.b2', 'delivered', NOW + 2, '2'),
        event('wamid.b3', 'failed', NOW + 1, '3'),
        event('wamid.b3', 'read', NOW + 5, '3'),
      ],
      NOW,
    );
    expect(applied.map((a) => [a.messageId, a.status])).toEqual([
      [1, 'sent'],
      [3, 'failed'],
      [1, 'delivered'],
      [2, 'delivered'],
      [2, 'read'],
      [3, 'read'],
    ]);
    const [m1, m2, m3] = await Promise.all([row(1), row(2), row(3)]);
    expect([m1.status, m1.wamid, m1.sent_at, m1.delivered_at, m1.lease_owner]).toEqual([
      'delivered',
      'wamid.b1',
      NOW + 1,
      NOW + 2,
      null,
    ]);
    expect([m2.status, m2.delivered_at, m2.read_at, m2.pricing_category, m2.billable]).toEqual([
      'read',
      NOW + 2,
      NOW + 3,
      'utility',
      1,
    ]);
    // failed then read: read wins (forward), the failure's details stay as they were written.
    expect([m3.status, m3.failed_at, m3.read_at, m3.error_code]).toEqual(['read', NOW + 1, NOW + 5, 131026]);
    const stored = await test.database.db
      .selectFrom('status_events')
      .select(['message_id'])
      .orderBy('message_id')
      .execute();
    expect(stored.map((s) => s.message_id)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it('never moves a status back, even when the send answer comes after later webhooks', async () => {
    const { db } = test.database;
    await recordStatusEvents(db, [event('wamid.b4', 'read', NOW + 3), event('wamid.b4', 'sent', NOW + 1)], NOW);
    const applied = await recordSendResults(db, [accepted(4, 'wamid.b4')], NOW);
    expect(applied.map((a) => a.status)).toEqual(['sent', 'read']);
    const m4 = await row(4);
    expect([m4.status, m4.accepted_at, m4.sent_at, m4.read_at]).toEqual(['read', NOW, NOW + 1, NOW + 3]);
    await recordStatusEvents(db, [event('wamid.b4', 'delivered', NOW + 2)], NOW);
    expect((await row(4)).status).toBe('read');
  });

  it('stores each (wamid, status) once, before and after it found its message', async () => {
    const { db } = test.database;
    // Waiting (no callback data, wamid unknown): a repeat is a duplicate under the waiting key.
    await recordStatusEvents(db, [event('wamid.c1', 'sent', NOW + 1)], NOW);
    await recordStatusEvents(db, [event('wamid.c1', 'sent', NOW + 1)], NOW);
    const stored = () =>
      db.selectFrom('status_events').select(['message_id']).where('wamid', '=', 'wamid.c1').execute();
    expect(await stored()).toEqual([{ message_id: null }]);
    // Moved to its message by the send's answer: a repeat now is a duplicate under the message's key.
    await recordSendResults(db, [accepted(5, 'wamid.c1')], NOW);
    expect(await stored()).toEqual([{ message_id: 5 }]);
    const again = await recordStatusEvents(db, [event('wamid.c1', 'sent', NOW + 1, '5')], NOW);
    expect(again).toEqual([]);
    expect(await stored()).toEqual([{ message_id: 5 }]);
  });

  it('leaves a waiting copy waiting when its message already holds the event, instead of failing the batch', async () => {
    const { db } = test.database;
    // The same (wamid, status) stored twice, as only a second send Meta accepted can make it: once
    // under message 6, once waiting. The send's answer must not fail on the key it cannot take.
    await recordStatusEvents(db, [event('wamid.d1', 'sent', NOW + 1, '6')], NOW);
    await db
      .insertInto('status_events')
      .values({ wamid: 'wamid.d1', status: 'sent', occurred_at: NOW + 1, received_at: NOW, payload: '{}' })
      .execute();
    await db.updateTable('messages').set({ wamid: null, status: 'sending' }).where('id', '=', 6).execute();
    await expect(recordSendResults(db, [accepted(6, 'wamid.d1')], NOW)).resolves.toBeDefined();
    const rows = await db
      .selectFrom('status_events')
      .select(['message_id'])
      .where('wamid', '=', 'wamid.d1')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([{ message_id: 6 }, { message_id: null }]);
  });
});
