import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DailyCapInput } from './daily-recipient-cap.ts';
import {
  checkDailyRecipientCap,
  DAILY_WINDOW_MS,
  remainingDailyQuota,
  UNKNOWN_FREE_SLOT_WAIT_MS,
} from './daily-recipient-cap.ts';

const NOW = 1_800_000_000_000;
const base: DailyCapInput = {
  nowMs: NOW,
  dailyLimit: 250,
  uniqueRecipientsLast24h: 0,
  isRepeatRecipient: false,
  isServiceWindowOpen: false,
  oldestCountedSendAtMs: null,
};

describe('checkDailyRecipientCap', () => {
  it('allows new recipients while under the limit, consuming quota', () => {
    expect(checkDailyRecipientCap({ ...base, uniqueRecipientsLast24h: 249 })).toEqual({
      allow: true,
      consumesQuota: true,
    });
  });
  it('makes a new recipient wait until the oldest counted one leaves the window', () => {
    const full = { ...base, uniqueRecipientsLast24h: 250, oldestCountedSendAtMs: NOW - 3_600_000 };
    expect(checkDailyRecipientCap(full)).toEqual({ allow: false, retryAtMs: NOW - 3_600_000 + DAILY_WINDOW_MS });
  });
  it('lets repeat recipients and open service windows through at the limit, without consuming quota', () => {
    const full = { ...base, uniqueRecipientsLast24h: 250 };
    expect(checkDailyRecipientCap({ ...full, isRepeatRecipient: true })).toEqual({ allow: true, consumesQuota: false });
    expect(checkDailyRecipientCap({ ...full, isServiceWindowOpen: true })).toEqual({
      allow: true,
      consumesQuota: false,
    });
  });
  it('waits a minute when the store cannot say when a slot frees', () => {
    expect(checkDailyRecipientCap({ ...base, uniqueRecipientsLast24h: 300 })).toEqual({
      allow: false,
      retryAtMs: NOW + UNKNOWN_FREE_SLOT_WAIT_MS,
    });
  });
  it('never answers a wait in the past (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3 * DAILY_WINDOW_MS }), (count, ago) => {
        const d = checkDailyRecipientCap({ ...base, uniqueRecipientsLast24h: count, oldestCountedSendAtMs: NOW - ago });
        if (!d.allow) expect(d.retryAtMs).toBeGreaterThan(NOW);
        expect(d.allow).toBe(count < 250);
      }),
    );
  });
  it('remainingDailyQuota never goes negative', () => {
    expect(remainingDailyQuota(250, 200)).toBe(50);
    expect(remainingDailyQuota(250, 400)).toBe(0);
  });
});
