import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdaptiveRateOptions } from './adaptive-rate.ts';
import { currentRatePerSec, initialAdaptiveRate, isThrottled, recordThroughputError } from './adaptive-rate.ts';

const options: AdaptiveRateOptions = { capPerSec: 80 };

describe('adaptive rate', () => {
  it('starts at the cap', () => {
    const state = initialAdaptiveRate(options, 0);
    expect(currentRatePerSec(state, options, 0)).toBe(80);
    expect(isThrottled(state, options, 0)).toBe(false);
  });
  it('halves on a throughput error and climbs back by 5% of the cap per second', () => {
    const cut = recordThroughputError(initialAdaptiveRate(options, 0), options, 10_000);
    expect(currentRatePerSec(cut, options, 10_000)).toBe(40);
    expect(currentRatePerSec(cut, options, 11_000)).toBe(44);
    expect(currentRatePerSec(cut, options, 15_000)).toBe(60);
    expect(currentRatePerSec(cut, options, 20_000)).toBe(80);
    expect(currentRatePerSec(cut, options, 99_000)).toBe(80);
    expect(isThrottled(cut, options, 19_999)).toBe(true);
  });
  it('cuts from the climbed rate, not the old base', () => {
    let state = recordThroughputError(initialAdaptiveRate(options, 0), options, 0); // 40
    state = recordThroughputError(state, options, 5000); // climbed to 60, cut to 30
    expect(currentRatePerSec(state, options, 5000)).toBe(30);
  });
  it('ignores errors during the cooldown (in-flight requests failing together)', () => {
    let state = recordThroughputError(initialAdaptiveRate(options, 0), options, 0);
    for (let t = 1; t < 1000; t += 50) state = recordThroughputError(state, options, t);
    expect(currentRatePerSec(state, options, 0)).toBe(40);
    state = recordThroughputError(state, options, 1000);
    expect(currentRatePerSec(state, options, 1000)).toBe(22);
  });
  it('never goes below the floor or above the cap (property)', () => {
    const opts: AdaptiveRateOptions = { capPerSec: 200, floorPerSec: 5, decreaseFactor: 0.3, cooldownMs: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.boolean()), { maxLength: 200 }), (steps) => {
        let state = initialAdaptiveRate(opts, 0);
        let now = 0;
        for (const [dt, isError] of steps) {
          now += dt;
          const before = currentRatePerSec(state, opts, now);
          if (isError) {
            state = recordThroughputError(state, opts, now);
            const after = currentRatePerSec(state, opts, now);
            expect(after).toBeLessThanOrEqual(before);
            expect(after).toBeCloseTo(Math.max(5, before * 0.3), 9);
          }
          const rate = currentRatePerSec(state, opts, now);
          expect(rate).toBeGreaterThanOrEqual(5);
          expect(rate).toBeLessThanOrEqual(200);
        }
      }),
    );
  });
  it('keeps a floor above the cap at the cap', () => {
    const tiny: AdaptiveRateOptions = { capPerSec: 1, floorPerSec: 5 };
    const state = recordThroughputError(initialAdaptiveRate(tiny, 0), tiny, 0);
    expect(currentRatePerSec(state, tiny, 0)).toBe(1);
  });
});
