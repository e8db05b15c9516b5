import { describe, expect, it } from 'vitest';
import { ACCOUNT_THROTTLE, afterFailure, lockEndsAt, type ThrottleState } from './sign-in-throttle.ts';

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;

function fail(times: number, startMs: number, everyMs: number, from?: ThrottleState): ThrottleState | undefined {
  let state = from;
  for (let i = 0; i < times; i++)
    state = afterFailure('email:a@x.test', state, ACCOUNT_THROTTLE, startMs + i * everyMs);
  return state;
}

describe('sign-in throttle', () => {
  it('locks on the fifth failure within the window, for 15 minutes', () => {
    const four = fail(4, T0, MINUTE);
    expect(lockEndsAt(four, T0 + 4 * MINUTE)).toBeUndefined();
    const five = afterFailure('email:a@x.test', four, ACCOUNT_THROTTLE, T0 + 4 * MINUTE);
    expect(five.lockedUntil).toBe(T0 + 19 * MINUTE);
    expect(lockEndsAt(five, T0 + 18 * MINUTE)).toBe(T0 + 19 * MINUTE);
    expect(lockEndsAt(five, T0 + 19 * MINUTE)).toBeUndefined();
  });

  it('starts counting again once the window has passed (failures at 0, 4, 8, 12 and 16 minutes)', () => {
    const spread = fail(5, T0, 4 * MINUTE);
    expect(spread?.lockedUntil).toBeNull();
    expect(spread?.failures).toBe(1);
  });

  it('counts from one again after a lock ended', () => {
    const locked = fail(5, T0, 1_000);
    const after = afterFailure('email:a@x.test', locked, ACCOUNT_THROTTLE, (locked?.lockedUntil ?? 0) + 1);
    expect(after).toMatchObject({ failures: 1, lockedUntil: null });
  });
});
