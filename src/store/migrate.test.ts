import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDraftCampaign } from './campaign-fixtures.testing.ts';
import { migrateTo, migrateToLatest } from './migrate.ts';
import { findSuppressions } from './suppressions-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

describe.each(TEST_BACKENDS)('migrations on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
  });
  afterAll(async () => test.drop());

  it('creates the foundation tables and is idempotent on restart', async () => {
    const again = await migrateToLatest(test.database);
    expect(again).toEqual([]);
    const { db } = test.database;
    const now = 1_700_000_000_000;
    const inserted = await db
      .insertInto('contacts')
      .values({ phone: '+4915112345678', attributes: '{}', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(inserted.id).toBeGreaterThan(0);
    await expect(
      db
        .insertInto('contacts')
        .values({ phone: '+4915112345678', attributes: '{}', created_at: now, updated_at: now })
        .execute(),
    ).rejects.toThrow();
  });

  it('enforces foreign keys', async () => {
    await expect(
      test.database.db.insertInto('contact_tags').values({ contact_id: 999_999, tag: 'vip' }).execute(),
    ).rejects.toThrow();
    const count = await sql<{ n: number }>`select count(*) as n from contact_tags`.execute(test.database.db);
    expect(Number(count.rows[0]?.n)).toBe(0);
  });
});

describe.each(TEST_BACKENDS)('0006 status events by message on %s', (backend) => {
  it('keeps the events stored before it, their ids and their keys', async () => {
    const test = await createTestDatabase(backend, '0005-webhook-inbox-retries');
    const { database } = test;
    try {
      await sql`insert into status_events (wamid, status, message_id, callback_data, occurred_at, received_at, is_applied, payload)
        values ('wamid.m1', 'sent', 7, '7', 1, 2, 1, '{"a":1}'), ('wamid.m2', 'read', null, null, 3, 4, 0, '{}')`.execute(
        database.db,
      );
      expect(await migrateTo(database, '0006-status-events-by-message')).toEqual(['0006-status-events-by-message']);
      const { db } = database;
      const rows = await db.selectFrom('status_events').selectAll().orderBy('id').execute();
      expect(rows.map((r) => [r.id, r.wamid, r.status, r.message_id, r.callback_data, r.payload])).toEqual([
        [1, 'wamid.m1', 'sent', 7, '7', '{"a":1}'],
        [2, 'wamid.m2', 'read', null, null, '{}'],
      ]);
      const event = (wamid: string, messageId: number | null) => ({
        wamid,
        status: wamid === 'wamid.m1' ? 'sent' : 'read',
        message_id: messageId,
        occurred_at: 5,
        received_at: 6,
        payload: '{}',
      });
      // Both keys hold: a matched event under its message, a waiting one on its own.
      await expect(db.insertInto('status_events').values(event('wamid.m1', 7)).execute()).rejects.toThrow();
      await expect(db.insertInto('status_events').values(event('wamid.m2', null)).execute()).rejects.toThrow();
      const next = await db
        .insertInto('status_events')
        .values(event('wamid.m3', 8))
        .returning('id')
        .executeTakeFirstOrThrow();
      // New ids follow the old ones (PostgreSQL may skip the values the refused inserts drew).
      expect(Number(next.id)).toBeGreaterThan(2);
    } finally {
      await test.drop();
    }
  });
});

describe.each(TEST_BACKENDS)('0012 data rights on %s', (backend) => {
  it('hashes numbers erased before it and scrubs what their erasure left behind', async () => {
    const test = await createTestDatabase(backend, '0010-sender-accounts');
    const { database } = test;
    const { db } = database;
    const [erased, kept] = ['+4915112345678', '+4915112345679'];
    try {
      const campaignId = await seedDraftCampaign(db, 1_000, 2);
      await sql`insert into suppressions (phone, reason, source, created_at)
        values (${erased}, 'erased', 'erasure', 500), (${kept}, 'opted_out', 'api', 600)`.execute(db);
      for (const [contactId, phone] of [
        [1, erased],
        [2, kept],
      ] as const) {
        await sql`insert into messages (campaign_id, contact_id, phone, status, rendered, next_attempt_at, updated_at, wamid, accepted_at)
          values (${campaignId}, ${contactId}, ${phone}, 'delivered', '{"to":"x"}', 0, 0, ${`wamid.${phone}`}, 5)`.execute(
          db,
        );
        await sql`insert into inbound_messages (wamid, phone, type, text, occurred_at, received_at, payload)
          values (${`in.${phone}`}, ${phone}, 'text', 'hi', 1, 1, ${JSON.stringify({ from: phone.slice(1) })})`.execute(
          db,
        );
      }
      expect(await migrateToLatest(database)).toContain('0012-data-rights');
      expect(await findSuppressions(db, [erased, kept])).toEqual(
        new Map([
          [erased, 'erased'],
          [kept, 'opted_out'],
        ]),
      );
      const plain = await db.selectFrom('suppressions').select('phone').execute();
      expect(plain.map((r) => r.phone)).toEqual([kept]);
      const messages = await db
        .selectFrom('messages')
        .select(['phone', 'rendered', 'wamid', 'status'])
        .orderBy('id')
        .execute();
      expect(messages).toEqual([
        {
          phone: expect.stringMatching(/^erased:DE:[0-9a-f]{12}$/),
          rendered: null,
          wamid: expect.stringMatching(/^erased:\d+$/),
          status: 'delivered',
        },
        { phone: kept, rendered: '{"to":"x"}', wamid: `wamid.${kept}`, status: 'delivered' },
      ]);
      const inbound = await db
        .selectFrom('inbound_messages')
        .select(['phone', 'text', 'payload'])
        .orderBy('id')
        .execute();
      expect(inbound[0]).toEqual({ phone: messages[0]?.phone, text: null, payload: '{}' });
      expect(inbound[1]?.phone).toBe(kept);
    } finally {
      await test.drop();
    }
  });
});
