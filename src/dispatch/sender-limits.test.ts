import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../store/testing.ts';
import { claimedMessage } from './claimed-message.testing.ts';
import { SenderLimits } from './sender-limits.ts';

const NOW = 1_800_000_000_000;
const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(TEST_BACKENDS)('sender limits on %s', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(backend);
    await test.database.db
      .insertInto('recipient_sends')
      .values([
        // Reached 2 s ago: the pair-rate gap holds them back.
        { sender_id: 's', phone: '+4915100000001', window_started_at: NOW - 2_000, last_sent_at: NOW - 2_000 },
        // Reached yesterday and again within 24 h: still counted, and a repeat costs no quota.
        {
          sender_id: 's',
          phone: '+4915100000002',
          window_started_at: NOW - DAY_MS + 60_000,
          last_sent_at: NOW - 60_000,
        },
        // Reached two days ago: out of the window.
        {
          sender_id: 's',
          phone: '+4915100000003',
          window_started_at: NOW - 2 * DAY_MS,
          last_sent_at: NOW - 2 * DAY_MS,
        },
      ])
      .execute();
  });
  afterAll(async () => test.drop());

  it('holds a recipient to the pair-rate gap, also within one batch', async () => {
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 80, dailyRecipientLimit: 1000 },
      NOW,
    );
    const { sendable, deferred } = await limits.admit(
      [claimedMessage(1, '+4915100000001'), claimedMessage(2, '+4915100000009'), claimedMessage(3, '+4915100000009')],
      NOW,
    );
    expect(sendable.map((m) => m.id)).toEqual([2]);
    expect(deferred.map((d) => [d.id, d.nextAttemptAt])).toEqual([
      [1, NOW + 4_000],
      [3, NOW + 6_000],
    ]);
  });

  it('lets repeats through a full daily cap and makes new recipients wait for the window', async () => {
    // Two recipients counted in the last 24 h; a cap of 3 leaves room for one new recipient.
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 80, dailyRecipientLimit: 3 },
      NOW,
    );
    const { sendable, deferred } = await limits.admit(
      [claimedMessage(1, '+4915100000002'), claimedMessage(2, '+4915100000003'), claimedMessage(3, '+4915100000004')],
      NOW,
    );
    expect(sendable.map((m) => m.id)).toEqual([1, 2]);
    expect(deferred).toHaveLength(1);
    expect(deferred[0]?.id).toBe(3);
    expect(deferred[0]?.reason).toContain('daily limit');
    // The slot frees when the oldest counted recipient leaves the 24 h window.
    expect(deferred[0]?.nextAttemptAt).toBe(NOW - DAY_MS + 60_000 + DAY_MS);
  });

  it('lets a recipient whose service window is open through a full daily cap', async () => {
    await test.database.db
      .insertInto('inbound_messages')
      .values({
        wamid: 'wamid.in1',
        phone: '+4915100000005',
        type: 'text',
        text: 'hi',
        phone_number_id: 'p1',
        occurred_at: NOW - 3_600_000,
        received_at: NOW,
        payload: '{}',
      })
      .execute();
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 80, dailyRecipientLimit: 2 },
      NOW,
    );
    const { sendable, deferred } = await limits.admit(
      [claimedMessage(1, '+4915100000005'), claimedMessage(2, '+4915100000006')],
      NOW,
    );
    expect(sendable.map((m) => m.id)).toEqual([1]);
    expect(deferred.map((d) => d.id)).toEqual([2]);
  });

  it("does not count a window the recipient opened with another of the business's numbers", async () => {
    await test.database.db
      .insertInto('inbound_messages')
      .values({
        wamid: 'wamid.in2',
        phone: '+4915100000007',
        type: 'text',
        text: 'hi',
        phone_number_id: 'another-number',
        occurred_at: NOW - 3_600_000,
        received_at: NOW,
        payload: '{}',
      })
      .execute();
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 80, dailyRecipientLimit: 2 },
      NOW,
    );
    const { sendable, deferred } = await limits.admit([claimedMessage(1, '+4915100000007')], NOW);
    expect(sendable).toEqual([]);
    expect(deferred.map((d) => d.id)).toEqual([1]);
  });

  it('grants no more than the cap in a second, and lowers the rate after a throughput error', () => {
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 50, dailyRecipientLimit: 10 },
      NOW,
    );
    let granted = 0;
    for (let t = 0; t < 1000; t += 10) granted += limits.grant(NOW + t, 100);
    expect(granted).toBeLessThanOrEqual(50);
    expect(granted).toBeGreaterThanOrEqual(45);
    limits.noteThroughputError(NOW + 1000);
    let afterError = 0;
    for (let t = 1000; t < 2000; t += 10) afterError += limits.grant(NOW + t, 100);
    expect(afterError).toBeLessThan(granted);
  });

  it('shows the cap, the rate allowed and the sends of the last second in its snapshot', async () => {
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 50, dailyRecipientLimit: 10 },
      NOW,
    );
    await limits.admit([claimedMessage(1, '+4915100000011'), claimedMessage(2, '+4915100000012')], NOW);
    limits.grant(NOW, 3);
    limits.grant(NOW + 600, 4);
    expect(limits.snapshot(NOW + 700)).toEqual({
      capPerSec: 50,
      allowedPerSec: 50,
      sentLastSecond: 7,
      // Recipients reached in the last 24 h (two of the three stored), and the two just admitted.
      dailyRecipients: 4,
      dailyRecipientLimit: 10,
    });
    expect(limits.snapshot(NOW + 1_300).sentLastSecond).toBe(4);
    limits.noteThroughputError(NOW + 1_300);
    expect(limits.snapshot(NOW + 1_300).allowedPerSec).toBe(25);
  });

  it('grants everything asked when the limiter is off (WA_MPS=0)', () => {
    const limits = new SenderLimits(
      test.database,
      { senderId: 's', phoneNumberId: 'p1', ratePerSec: 0, dailyRecipientLimit: 10 },
      NOW,
    );
    expect(limits.grant(NOW, 10_000)).toBe(10_000);
  });
});
