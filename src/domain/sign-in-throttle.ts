// Guessing passwords is slowed twice over: per account (a few tries, then a lock the person is
// told about) and per client address (more tries, since offices share one, then the same lock).

const MINUTE_MS = 60_000;

/** How many failures within `windowMs` lock a key, and for how long. */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Per account: 5 failures within 15 minutes lock it for 15 minutes. */
export const ACCOUNT_THROTTLE: ThrottleRule = { maxFailures: 5, windowMs: 15 * MINUTE_MS, lockMs: 15 * MINUTE_MS };
/** Per client address: 20 failures within 15 minutes, whatever the accounts, lock it for 15 minutes. */
export const ADDRESS_THROTTLE: ThrottleRule = { maxFailures: 20, windowMs: 15 * MINUTE_MS, lockMs: 15 * MINUTE_MS };

/** Failures counted under one key (`email:…` or `ip:…`) since `firstFailedAt`, and any lock. */
export interface ThrottleState {
  key: string;
  failures: number;
  firstFailedAt: number;
  lockedUntil: number | null;
}

/** When the key's lock ends, if it is locked now. */
export function lockEndsAt(state: ThrottleState | undefined, now: number): number | undefined {
  return state?.lockedUntil != null && state.lockedUntil > now ? state.lockedUntil : undefined;
}

/** The key's state after one more failure: counting starts over once the window or a lock has passed. */
export function afterFailure(
  key: string,
  state: ThrottleState | undefined,
  rule: ThrottleRule,
  now: number,
): ThrottleState {
  const isStale =
    state === undefined || now - state.firstFailedAt >= rule.windowMs || (state.lockedUntil ?? Infinity) <= now;
  const failures = isStale ? 1 : state.failures + 1;
  return {
    key,
    failures,
    firstFailedAt: isStale ? now : state.firstFailedAt,
    lockedUntil: failures >= rule.maxFailures ? now + rule.lockMs : null,
  };
}
