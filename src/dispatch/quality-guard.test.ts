import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QualityGuard } from './quality-guard.ts';

function feed(guard: QualityGuard, outcomes: Array<[code: number | null, times: number]>): void {
  for (const [code, times] of outcomes) for (let i = 0; i < times; i++) guard.record(code);
}

describe('QualityGuard', () => {
  it('pauses with a human reason when 131049 passes 10% of the last 500', () => {
    const guard = new QualityGuard();
    feed(guard, [
      [null, 440],
      [131049, 60],
    ]);
    expect(guard.evaluate()).toEqual({
      action: 'pause',
      code: 131049,
      rate: 0.12,
      reason: '12% of the last 500 sends failed with 131049 per-user marketing limit',
    });
  });
  it('continues at or under the threshold', () => {
    const guard = new QualityGuard();
    feed(guard, [
      [null, 450],
      [131049, 50],
    ]);
    expect(guard.evaluate()).toEqual({ action: 'continue' });
  });
  it('judges only the last N outcomes: old failures slide out', () => {
    const guard = new QualityGuard({ windowSize: 100, minSamples: 50 });
    feed(guard, [
      [131050, 50],
      [null, 100],
    ]);
    expect(guard.sampleCount).toBe(100);
    expect(guard.evaluate().action).toBe('continue');
    feed(guard, [[131050, 6]]);
    expect(guard.evaluate()).toMatchObject({ action: 'pause', code: 131050 });
  });
  it('waits for enough samples before judging', () => {
    const guard = new QualityGuard();
    feed(guard, [[131048, 99]]);
    expect(guard.evaluate().action).toBe('continue');
    guard.record(131048);
    expect(guard.evaluate()).toMatchObject({ action: 'pause', code: 131048 });
  });
  it('reports the rule exceeded by the widest margin, with a decimal under 10%', () => {
    const guard = new QualityGuard();
    feed(guard, [
      [null, 420],
      [131049, 60],
      [131048, 20],
    ]);
    expect(guard.evaluate()).toMatchObject({
      code: 131048,
      reason: '4% of the last 500 sends failed with 131048 spam rate limit',
    });
    const small = new QualityGuard({ minSamples: 10, windowSize: 1000 });
    feed(small, [
      [null, 988],
      [131048, 12],
    ]);
    expect(small.evaluate()).toMatchObject({
      reason: '1.2% of the last 1000 sends failed with 131048 spam rate limit',
    });
  });
  it('ignores codes it does not watch', () => {
    const guard = new QualityGuard();
    feed(guard, [[131026, 500]]);
    expect(guard.evaluate().action).toBe('continue');
  });
  it('keeps counts equal to a recount of the window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.constantFrom(null, 131048, 131049, 131050, 130403, 131026), { maxLength: 300 }),
        (windowSize, outcomes) => {
          const rules = [{ code: 131049, label: 'x', maxRate: 0.2 }];
          const guard = new QualityGuard({ windowSize, minSamples: 1, rules });
          for (const o of outcomes) guard.record(o);
          const window = outcomes.slice(-windowSize);
          const rate = window.filter((o) => o === 131049).length / Math.max(1, window.length);
          const verdict = guard.evaluate();
          expect(verdict.action).toBe(window.length > 0 && rate > 0.2 ? 'pause' : 'continue');
          if (verdict.action === 'pause') expect(verdict.rate).toBeCloseTo(rate, 12);
        },
      ),
    );
  });
});
