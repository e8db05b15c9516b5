import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDraftCampaign } from './campaign-fixtures.testing.ts';
import { insertMaterializedBatch } from './campaigns-repo.ts';
import {
  claimDueMessages,
  countMessagesByStatus,
  reconcileExpiredLeases,
  releaseExpiredLeases,
} from './outbox-repo.ts';
import { type AttemptRecord, recordSendResults } from './send-results-repo.ts';
import { recordStatusEvents, type StatusEventInput } from './status-events-repo.ts';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from './testing.ts';

const NOW = 1_800_000_000_000;

const attempt = (at: number): AttemptRecord => ({ attempt: 1, started_at: at, finished_at: at, outcome: 'accepted' });

const statusEvent = (
  wamid: string,
  status: StatusEventInput['status'],
  at: number,
  callbackData: string | null = null,
) => ({
  wamid,
  status,
  occurredAt: at,
  callbackData,
  error: status === 'failed' ? { code: 131026, title: 'Message undeliverable', details: null } : null,
  pricing: null,
  raw: {},
});

describe.each(TEST_BACKENDS)('the outbox on %s', (backend) => {
  let test: TestDatabase;
  let campaignId: number;

  beforeAll(async () => {
    test = await createTestDatabase(backend);
    const { db } = test.database;
    campaignId = await seedDraftCampaign(db, NOW, 6);
    const messages = [1, 2, 3, 4, 5, 6].map((i) => ({
      contactId: i,
      phone: `+4915112345${String(i).padStart(3, '0')}`,
      status: 'pending' as const,
      statusReason: null,
      rendered: '{}',
      nextAttemptAt: NOW,
    }));
    await insertMaterializedBatch(db, { campaignId, messages, throughContactId: 6, isLast: true, now: NOW });
    // Replaying the same batch (a crash between batches) adds nothing.
    await insertMaterializedBatch(db, { campaignId, messages, throughContactId: 6, isLast: true, now: NOW });
  });
  afterAll(async () => test.drop());

  const claim = (limit: number, now = NOW) =>
    claimDueMessages(test.database.db, test.database.dialect, {
      campaignId,
      limit,
      now,
      leaseUntil: now + 30_000,
      owner: 'w',
    });

  it('claims each due message once, under a lease', async () => {
    expect(await countMessagesByStatus(test.database.db, campaignId)).toEqual({ pending: 6 });
    const first = await claim(4);
    const second = await claim(4);
    expect(first.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    expect(second.map((m) => m.id)).toEqual([5, 6]);
    expect(await claim(4)).toEqual([]);
    expect(await countMessagesByStatus(test.database.db, campaignId)).toEqual({ sending: 6 });
  });

  it('moves forward only, whatever order the webhooks come in', async () => {
    const { db } = test.database;
    await recordSendResults(
      db,
      [
        {
          kind: 'accepted',
          campaignId,
          messageId: 1,
          senderId: 'default',
          phone: '+491511234500',
          wamid: 'wamid.1',
          at: NOW,
          attempt: attempt(NOW),
        },
      ],
      NOW,
    );
    await recordStatusEvents(
      db,
      [statusEvent('wamid.1', 'read', NOW + 3), statusEvent('wamid.1', 'delivered', NOW + 2)],
      NOW,
    );
    await recordStatusEvents(
      db,
      [statusEvent('wamid.1', 'sent', NOW + 1), statusEvent('wamid.1', 'failed', NOW + 4)],
      NOW,
    );
    const row = await db.selectFrom('messages').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
    expect(row.status).toBe('read');
    expect([row.sent_at, row.delivered_at, row.read_at]).toEqual([NOW + 1, NOW + 2, NOW + 3]);
  });

  it('matches a webhook that beats the send answer by its callback data, and keeps it', async () => {
    const { db } = test.database;
    await recordStatusEvents(db, [statusEvent('wamid.2', 'sent', NOW + 1, '2')], NOW);
    await recordSendResults(
      db,
      [
        {
          kind: 'accepted',
          campaignId,
          messageId: 2,
          senderId: 'default',
          phone: '+491511234500',
          wamid: 'wamid.2',
          at: NOW,
          attempt: attempt(NOW),
        },
      ],
      NOW,
    );
    const row = await db.selectFrom('messages').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
    expect([row.status, row.wamid]).toEqual(['sent', 'wamid.2']);
  });

  it('keeps an event for an unknown wamid until the send is recorded', async () => {
    const { db } = test.database;
    const applied = await recordStatusEvents(db, [statusEvent('wamid.3', 'delivered', NOW + 2)], NOW);
    expect(applied).toEqual([]);
    const late = await recordSendResults(
      db,
      [
        {
          kind: 'accepted',
          campaignId,
          messageId: 3,
          senderId: 'default',
          phone: '+491511234500',
          wamid: 'wamid.3',
          at: NOW,
          attempt: attempt(NOW),
        },
      ],
      NOW,
    );
    expect(late.map((a) => [a.messageId, a.status])).toEqual([[3, 'delivered']]);
  });

  it('stores a duplicated event once and keeps failure details', async () => {
    const { db } = test.database;
    await recordSendResults(
      db,
      [
        {
          kind: 'accepted',
          campaignId,
          messageId: 4,
          senderId: 'default',
          phone: '+491511234500',
          wamid: 'wamid.4',
          at: NOW,
          attempt: attempt(NOW),
        },
      ],
      NOW,
    );
    const first = await recordStatusEvents(db, [statusEvent('wamid.4', 'failed', NOW + 1)], NOW);
    const again = await recordStatusEvents(db, [statusEvent('wamid.4', 'failed', NOW + 1)], NOW);
    expect([first.length, again.length]).toEqual([1, 0]);
    const row = await db.selectFrom('messages').selectAll().where('id', '=', 4).executeTakeFirstOrThrow();
    expect([row.status, row.error_code]).toEqual(['failed', 131026]);
  });

  it('holds messages with an expired lease for a reconciliation window, then returns them to the queue', async () => {
    const { db } = test.database;
    expect(await reconcileExpiredLeases(db, campaignId, NOW + 1_000, 5_000)).toBe(0);
    // The lost worker may have sent them: no resend before a webhook naming them had its chance.
    expect(await reconcileExpiredLeases(db, campaignId, NOW + 31_000, 5_000)).toBe(2);
    expect(await releaseExpiredLeases(db, campaignId, NOW + 31_000)).toBe(0);
    expect(await releaseExpiredLeases(db, campaignId, NOW + 36_001)).toBe(2);
    const again = await claim(10, NOW + 36_001);
    expect(again.map((m) => [m.id, m.attempts])).toEqual([
      [5, 2],
      [6, 2],
    ]);
  });
});
