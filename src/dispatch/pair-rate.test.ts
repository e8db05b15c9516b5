import { describe, expect, it } from 'vitest';
import { DEFAULT_PAIR_GAP_MS, earliestNextSendAt, isPairRateReady, pairRateReadyAt } from './pair-rate.ts';

describe('pair rate', () => {
  it('keeps 6 s between messages to one recipient by default', () => {
    expect(DEFAULT_PAIR_GAP_MS).toBe(6000);
    expect(earliestNextSendAt(10_000)).toBe(16_000);
    expect(pairRateReadyAt(12_000, 10_000)).toBe(16_000);
    expect(isPairRateReady(15_999, 10_000)).toBe(false);
    expect(isPairRateReady(16_000, 10_000)).toBe(true);
  });
  it('lets a recipient never messaged go at once', () => {
    expect(pairRateReadyAt(5, null)).toBe(5);
    expect(isPairRateReady(5, null)).toBe(true);
  });
  it('takes a custom gap', () => {
    expect(pairRateReadyAt(0, 0, 60_000)).toBe(60_000);
  });
});
