import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.ts';

/** The most grants in any half-open window [t, t + windowMs). */
function maxInAnyWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Drives a bucket the way a saturated sender would: take a batch, sleep what it says (plus lateness). */
function saturate(bucket: TokenBucket, durationMs: number, latenessMs: () => number, batch = 25): number[] {
  const times: number[] = [];
  let now = 0;
  while (now < durationMs) {
    const { granted, waitMs } = bucket.tryTake(now, batch);
    for (let i = 0; i < granted; i++) times.push(now);
    now += (waitMs === 0 ? 0 : waitMs) + latenessMs() + (granted === 0 && waitMs === 0 ? 1 : 0);
  }
  return times.filter((t) => t < durationMs);
}

describe('TokenBucket basics', () => {
  it('grants the burst at once, then paces at the rate', () => {
    const bucket = new TokenBucket({ capPerSec: 10, burst: 2 }, 0);
    expect(bucket.tryTake(0, 5)).toEqual({ granted: 2, waitMs: 100 });
    expect(bucket.tryTake(50, 1)).toEqual({ granted: 0, waitMs: 50 });
    expect(bucket.tryTake(100, 1)).toEqual({ granted: 1, waitMs: 0 });
  });
  it('treats a clock going backwards as standing still', () => {
    const bucket = new TokenBucket({ capPerSec: 10, burst: 1 }, 1000);
    expect(bucket.tryTake(1000).granted).toBe(1);
    expect(bucket.tryTake(500).granted).toBe(0);
  });
  it('lets a lowered rate slow the pace, and clamps raises to the cap', () => {
    const bucket = new TokenBucket({ capPerSec: 10, burst: 1 }, 0);
    bucket.tryTake(0);
    bucket.setRatePerSec(2);
    expect(bucket.tryTake(0).waitMs).toBe(500);
    bucket.setRatePerSec(500);
    expect(bucket.currentRatePerSec).toBe(10);
  });
  it('refuses a cap below 1', () => {
    expect(() => new TokenBucket({ capPerSec: 0 }, 0)).toThrow(RangeError);
  });
  it('has a burst of 20% of the cap by default, at least 2', () => {
    expect(new TokenBucket({ capPerSec: 80 }, 0).burst).toBe(16);
    expect(new TokenBucket({ capPerSec: 1000 }, 0).burst).toBe(200);
    expect(new TokenBucket({ capPerSec: 5 }, 0).burst).toBe(2);
  });
});

describe('TokenBucket: never above the cap in any sliding 1 s window', () => {
  it('holds for random request timings, batch sizes, bursts and rate changes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.record({
            dtMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 1500 })),
            count: fc.integer({ min: 1, max: 60 }),
            rate: fc.option(fc.double({ min: 0.5, max: 300, noNaN: true }), { freq: 8 }),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        (cap, burst, requests) => {
          const bucket = new TokenBucket({ capPerSec: cap, burst }, 0);
          const times: number[] = [];
          let now = 0;
          for (const request of requests) {
            now += request.dtMs;
            if (request.rate !== null) bucket.setRatePerSec(request.rate);
            const { granted, waitMs } = bucket.tryTake(now, request.count);
            expect(granted).toBeLessThanOrEqual(request.count);
            expect(waitMs === 0).toBe(granted === request.count);
            for (let i = 0; i < granted; i++) times.push(now);
          }
          expect(maxInAnyWindow(times)).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 300 },
    );
  });
  it('holds with fractional clock readings', () => {
    const bucket = new TokenBucket({ capPerSec: 80 }, 0);
    const times: number[] = [];
    for (let now = 0; now < 10_000; now += 0.37) {
      const { granted } = bucket.tryTake(now, 3);
      for (let i = 0; i < granted; i++) times.push(now);
    }
    expect(maxInAnyWindow(times)).toBeLessThanOrEqual(80);
    expect(times.length).toBeGreaterThanOrEqual(0.98 * 800);
  });
});

describe('TokenBucket: averages at least 98% of the cap under saturation', () => {
  it.each([1, 7, 80, 1000])('cap %i, waking exactly when told', (cap) => {
    const times = saturate(new TokenBucket({ capPerSec: cap }, 0), 60_000, () => 0);
    expect(times.length / 60).toBeGreaterThanOrEqual(0.98 * cap);
    expect(maxInAnyWindow(times)).toBeLessThanOrEqual(cap);
  });
  it('still reaches 98% when every wake-up is up to 3 ms late (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 1000 }), fc.integer({ min: 1, max: 1_000_000 }), (cap, seed) => {
        let state = seed;
        const late = () => {
          state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
          return (state % 300) / 100;
        };
        const times = saturate(new TokenBucket({ capPerSec: cap }, 0), 30_000, late, Math.max(5, cap / 10));
        expect(times.length / 30).toBeGreaterThanOrEqual(0.98 * cap);
        expect(maxInAnyWindow(times)).toBeLessThanOrEqual(cap);
      }),
      { numRuns: 40 },
    );
  });
});

describe('TokenBucket.available', () => {
  it('answers what tryTake would grant, without taking it', () => {
    const bucket = new TokenBucket({ capPerSec: 10, burst: 4 }, 0);
    expect(bucket.available(0, 10)).toBe(4);
    expect(bucket.available(0, 10)).toBe(4);
    expect(bucket.tryTake(0, 10).granted).toBe(4);
    expect(bucket.available(0, 10)).toBe(0);
    // 250 ms refill 2.5 tokens at 10/s: two whole ones.
    expect(bucket.available(250, 10)).toBe(2);
    expect(bucket.tryTake(250, 10).granted).toBe(2);
  });

  it('agrees with tryTake when the sliding-window log is the limit', () => {
    const bucket = new TokenBucket({ capPerSec: 3, burst: 3, windowMs: 1000 }, 0);
    bucket.tryTake(0, 3);
    for (const at of [400, 999, 1000, 1400]) {
      const look = bucket.available(at, 3);
      expect(bucket.tryTake(at, 3).granted).toBe(look);
    }
  });
});

describe('TokenBucket.settle', () => {
  it('counts a grant from when its request was answered', () => {
    const bucket = new TokenBucket({ capPerSec: 2, burst: 2 }, 0);
    const first = bucket.grantCount;
    expect(bucket.tryTake(0, 2).granted).toBe(2);
    bucket.settle(first, 30);
    // The first grant now leaves the window at 1030, not 1000.
    expect(bucket.available(1_000, 1)).toBe(0);
    expect(bucket.available(1_030, 1)).toBe(1);
    // A grant overwritten in the log, or never made, is ignored.
    bucket.settle(first + 5, 5_000);
    expect(bucket.tryTake(1_030, 1).granted).toBe(1);
  });
});
