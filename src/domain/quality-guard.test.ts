import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { judgeQuality, lastSendsWindow, type OutcomeWindow, SENDS_CODE, type SecondOutcomes } from './quality-guard.ts';

function window(sends: number, failures: Record<number, number> = {}): OutcomeWindow {
  return { sends, failures: new Map(Object.entries(failures).map(([code, n]) => [Number(code), n])) };
}

describe('judgeQuality', () => {
  it('pauses with a human reason when 131049 passes 10% of the last 500', () => {
    expect(judgeQuality(window(500, { 131049: 60 }))).toEqual({
      action: 'pause',
      code: 131049,
      rate: 0.12,
      reason: '12% of the last 500 sends failed with 131049 per-user marketing limit',
    });
  });
  it('continues at or under the threshold', () => {
    expect(judgeQuality(window(500, { 131049: 50 }))).toEqual({ action: 'continue' });
  });
  it('waits for enough sends before judging', () => {
    expect(judgeQuality(window(99, { 131048: 99 })).action).toBe('continue');
    expect(judgeQuality(window(100, { 131048: 100 }))).toMatchObject({ action: 'pause', code: 131048 });
  });
  it('reports the rule exceeded by the widest margin, with a decimal under 10%', () => {
    expect(judgeQuality(window(500, { 131049: 60, 131048: 20 }))).toMatchObject({
      code: 131048,
      reason: '4% of the last 500 sends failed with 131048 spam rate limit',
    });
    expect(judgeQuality(window(1000, { 131048: 12 }), { minSamples: 10 })).toMatchObject({
      reason: '1.2% of the last 1000 sends failed with 131048 spam rate limit',
    });
  });
  it('ignores codes it does not watch', () => {
    expect(judgeQuality(window(500, { 131026: 500 })).action).toBe('continue');
  });
});

describe('lastSendsWindow', () => {
  it('takes whole seconds, newest first, until the window holds enough sends', () => {
    const rows: SecondOutcomes[] = [
      { secondAt: 3000, code: SENDS_CODE, count: 300 },
      { secondAt: 3000, code: 131049, count: 10 },
      { secondAt: 2000, code: SENDS_CODE, count: 300 },
      { secondAt: 2000, code: 131050, count: 7 },
      { secondAt: 1000, code: SENDS_CODE, count: 300 },
      { secondAt: 1000, code: 131049, count: 200 },
    ];
    const taken = lastSendsWindow(rows, 500);
    expect(taken.sends).toBe(600);
    expect(Object.fromEntries(taken.failures)).toEqual({ 131049: 10, 131050: 7 });
  });
  it('equals a recount of the seconds it keeps (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.record({ sends: fc.nat(120), failed: fc.nat(30) }), { maxLength: 40 }),
        (windowSize, seconds) => {
          const rows = seconds.flatMap((s, i) => [
            { secondAt: (seconds.length - i) * 1000, code: SENDS_CODE, count: s.sends },
            { secondAt: (seconds.length - i) * 1000, code: 131049, count: s.failed },
          ]);
          const taken = lastSendsWindow(rows, windowSize);
          let sends = 0;
          let failed = 0;
          for (const s of seconds) {
            if (sends >= windowSize) break;
            sends += s.sends;
            failed += s.failed;
          }
          expect(taken.sends).toBe(sends);
          expect(taken.failures.get(131049) ?? 0).toBe(failed);
        },
      ),
    );
  });
});
