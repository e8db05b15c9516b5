import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SendErrorClass } from '../domain/outbound-message.ts';
import { DEFAULT_RETRY_POLICY, decideRetry, fullJitter, MARKETING_LIMIT_RETRY_MS } from './retry-policy.ts';

const err = (errorClass: SendErrorClass, code: number | null) => ({ errorClass, code });
const half = () => 0.5;
const zero = () => 0;
const almostOne = () => 0.999_999;

describe('retryable errors: exponential backoff with full jitter, then fail', () => {
  it('doubles the ceiling each attempt and jitters within it', () => {
    expect(decideRetry(err('retryable', 131000), 1, almostOne)).toMatchObject({ action: 'retry', delayMs: 1999 });
    expect(decideRetry(err('retryable', 131000), 2, almostOne)).toMatchObject({ action: 'retry', delayMs: 3999 });
    expect(decideRetry(err('retryable', 131000), 3, half)).toMatchObject({ action: 'retry', delayMs: 4000 });
    expect(decideRetry(err('retryable', 2), 1, zero)).toMatchObject({ action: 'retry', delayMs: 1 });
  });
  it('fails once maxAttempts attempts were made', () => {
    expect(decideRetry(err('retryable', 131000), DEFAULT_RETRY_POLICY.maxAttempts, half)).toEqual({
      action: 'fail',
      reason: '131000: gave up after 5 attempts',
    });
  });
  it('tries code 1 only once more', () => {
    expect(decideRetry(err('retryable', 1), 1, half).action).toBe('retry');
    expect(decideRetry(err('retryable', 1), 2, half).action).toBe('fail');
  });
  it('waits about a minute for 131057 maintenance', () => {
    const d = decideRetry(err('retryable', 131057), 1, half);
    expect(d.action === 'retry' && d.delayMs).toBeGreaterThanOrEqual(60_000);
    expect(d.action === 'retry' && d.delayMs).toBeLessThan(65_000);
  });
  it('stays within [1, min(max, base·2^(n−1))] for every attempt (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999_999, noNaN: true }), (n, r) => {
        const delay = fullJitter(n, 2000, 300_000, () => r);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(Math.min(300_000, 2000 * 2 ** (n - 1)));
      }),
    );
  });
});

describe('throughput errors', () => {
  it('backs off per code: seconds for 130429, longer for 80007 and 4', () => {
    const d1 = decideRetry(err('throughput', 130429), 1, almostOne);
    const d2 = decideRetry(err('throughput', 80007), 1, almostOne);
    const d3 = decideRetry(err('throughput', 4), 1, almostOne);
    expect(d1).toMatchObject({ action: 'retry', delayMs: 999 });
    expect(d2).toMatchObject({ action: 'retry', delayMs: 29_999 });
    expect(d3).toMatchObject({ action: 'retry', delayMs: 59_999 });
    expect(decideRetry(err('throughput', 130429), 12, almostOne)).toMatchObject({ delayMs: 59_999 });
  });
  it('are more patient than transient errors, but not endless', () => {
    expect(decideRetry(err('throughput', 130429), 10, half).action).toBe('retry');
    expect(decideRetry(err('throughput', 130429), 20, half).action).toBe('fail');
  });
});

describe('pair rate 131056', () => {
  it('waits 4^X s with X = 0, 1, 2…', () => {
    expect(decideRetry(err('pair_rate', 131056), 1, zero)).toMatchObject({ action: 'retry', delayMs: 1000 });
    expect(decideRetry(err('pair_rate', 131056), 2, zero)).toMatchObject({ action: 'retry', delayMs: 4000 });
    expect(decideRetry(err('pair_rate', 131056), 3, zero)).toMatchObject({ action: 'retry', delayMs: 16_000 });
    expect(decideRetry(err('pair_rate', 131056), 6, zero).action).toBe('fail');
  });
});

describe('recipient errors', () => {
  it('131049: retries once after at least 24 h, then fails', () => {
    const first = decideRetry(err('recipient_permanent', 131049), 1, half);
    expect(first.action).toBe('retry');
    expect(first.action === 'retry' && first.delayMs).toBeGreaterThanOrEqual(MARKETING_LIMIT_RETRY_MS);
    expect(decideRetry(err('recipient_permanent', 131049), 2, half, [err('recipient_permanent', 131049)]).action).toBe(
      'fail',
    );
  });
  it('131049: earlier failures of other kinds do not spend its one retry', () => {
    const earlier = [err('retryable', 131000), err('throughput', 130429)];
    expect(decideRetry(err('recipient_permanent', 131049), 3, half, earlier).action).toBe('retry');
  });
  it('131050: fails with an opt-out signal', () => {
    expect(decideRetry(err('recipient_permanent', 131050), 1, half)).toEqual({
      action: 'fail',
      reason: '131050: recipient stopped marketing messages',
      optOut: true,
    });
  });
  it('131026 and others: fail', () => {
    expect(decideRetry(err('recipient_permanent', 131026), 1, half)).toEqual({
      action: 'fail',
      reason: '131026: recipient cannot receive this message',
    });
  });
});

describe('the rest', () => {
  it('template errors fail and flag the template', () => {
    expect(decideRetry(err('template', 132015), 1, half)).toMatchObject({ action: 'fail', flagTemplate: true });
  });
  it('auth/config errors pause the sender; policy/quality errors pause the campaign', () => {
    expect(decideRetry(err('auth_config', 190), 1, half)).toMatchObject({ action: 'pause_sender' });
    expect(decideRetry(err('policy_quality', 131048), 1, half)).toMatchObject({ action: 'pause_campaign' });
  });
  it('an unknown outcome waits out the reconciliation window, never retries at once', () => {
    expect(decideRetry(err('unknown_outcome', null), 1, half).action).toBe('reconcile');
  });
  it('an outcome unknown 3 times fails, saying the message may have been delivered', () => {
    const unknown = err('unknown_outcome', null);
    expect(decideRetry(unknown, 2, half, [unknown]).action).toBe('reconcile');
    expect(decideRetry(unknown, 3, half, [unknown, unknown])).toEqual({
      action: 'fail',
      reason:
        'outcome unknown after 3 attempts: no answer, and no webhook named the message; it may have been delivered',
    });
  });
  it('only unknown outcomes count towards that bound', () => {
    const throughput = Array.from({ length: 8 }, () => err('throughput', 130429));
    expect(decideRetry(err('unknown_outcome', null), 9, half, throughput).action).toBe('reconcile');
  });
  it('never asks for a retry without a positive delay (property)', () => {
    const classes: SendErrorClass[] = ['retryable', 'throughput', 'pair_rate', 'recipient_permanent', 'template'];
    fc.assert(
      fc.property(
        fc.constantFrom(...classes),
        fc.constantFrom(null, 1, 2, 4, 131000, 131049, 131056, 130429, 80007),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (errorClass, code, attempt, r) => {
          const d = decideRetry({ errorClass, code }, attempt, () => r);
          if (d.action === 'retry') expect(d.delayMs).toBeGreaterThan(0);
          expect(d.reason.length).toBeGreaterThan(0);
        },
      ),
    );
  });
});
