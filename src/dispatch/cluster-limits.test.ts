import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../store/testing.ts';
import { claimedMessage } from './claimed-message.testing.ts';
import { busiestSecond } from './send-rates.testing.ts';
import { SenderLimits } from './sender-limits.ts';

// Two workers' limiters in one test process against one PostgreSQL, for one sender: what they
// grant together must hold the sender's limits as one.

describe('limits shared by several workers on postgres', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
  });
  afterAll(async () => test.drop());

  const workerLimits = (senderId: string, ratePerSec: number, dailyRecipientLimit = 1_000_000) =>
    new SenderLimits(
      test.database,
      { senderId, phoneNumberId: 'p1', ratePerSec, dailyRecipientLimit, isShared: true },
      Date.now(),
    );

  it('never grants two workers together more than the cap in any one-second window, and nearly all of it', async () => {
    const capPerSec = 200;
    const workers = [workerLimits('shared-rate', capPerSec), workerLimits('shared-rate', capPerSec)];
    const slots: number[] = [];
    // Long enough that one late wake-up of a loaded machine (its slots are lost for good) weighs little.
    const runMs = 5_000;
    const startedAt = Date.now();
    await Promise.all(
      workers.map(async (limits) => {
        while (Date.now() - startedAt < runMs) {
          const tickets = await limits.takeTickets(Date.now(), 30);
          slots.push(...tickets.map((t) => t.notBeforeMs));
          if (tickets.length < 30) await new Promise((r) => setTimeout(r, limits.waitMs(Date.now())));
        }
      }),
    );
    expect(busiestSecond(slots)).toBeLessThanOrEqual(capPerSec);
    // Both workers got slots, and together they kept the rate near the cap.
    const spanSec = (Math.max(...slots) - Math.min(...slots)) / 1000;
    expect(slots.length / spanSec).toBeGreaterThanOrEqual(0.95 * capPerSec);
    expect(workers.every((w) => w.snapshot(Date.now()).capPerSec === capPerSec)).toBe(true);
  });

  it('lets only one worker send to a recipient within the pair gap', async () => {
    const [a, b] = [workerLimits('shared-pair', 80), workerLimits('shared-pair', 80)];
    const now = Date.now();
    const [first, second] = await Promise.all([
      a.admit([claimedMessage(1, '+4915100000001')], now),
      b.admit([claimedMessage(2, '+4915100000001')], now),
    ]);
    expect(first.sendable.length + second.sendable.length).toBe(1);
    const waiting = [...first.deferred, ...second.deferred];
    expect(waiting).toHaveLength(1);
    expect(waiting[0]?.reason).toContain('pair rate');
  });

  it('holds the daily unique-recipient cap across workers', async () => {
    const [a, b] = [workerLimits('shared-daily', 80, 3), workerLimits('shared-daily', 80, 3)];
    const now = Date.now();
    const phones = (from: number) => [0, 1, 2].map((i) => claimedMessage(from + i, `+49151000001${from + i}`));
    const [first, second] = await Promise.all([a.admit(phones(10), now), b.admit(phones(20), now)]);
    expect(first.sendable.length + second.sendable.length).toBe(3);
    const later = await a.admit([claimedMessage(40, '+4915100000140')], now + 1_000);
    expect(later.sendable).toEqual([]);
    expect(later.deferred[0]?.reason).toContain('daily limit');
  });
});
