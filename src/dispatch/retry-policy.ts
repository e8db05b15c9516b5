// What to do after a failed send, from the error's class and code (reference/cloud-api.md §2 "retry?" column;
// DESIGN.md "Retry only what Meta calls retryable"). Pure: the attempt count and randomness are passed in.
import type { SendError } from '../domain/outbound-message.ts';

/** The next step for a message whose send failed. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'fail'; reason: string; optOut?: true; flagTemplate?: true }
  | { action: 'reconcile'; reason: string }
  | { action: 'pause_sender'; reason: string }
  | { action: 'pause_campaign'; reason: string };

/** Tunables; all delays in ms. */
export interface RetryPolicy {
  /** Attempts in all for a `retryable` error before the message fails. */
  maxAttempts: number;
  /** Full-jitter exponential backoff: delay = random × min(maxDelayMs, baseDelayMs × 2^(attempt−1)). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all for throughput errors: the message is not at fault, so more patience. */
  maxThroughputAttempts: number;
  /** Attempts in all for 131056 pair-rate errors (delays 4^X s). */
  maxPairRateAttempts: number;
  /** Attempts in all whose outcome stayed unknown before the message fails: each may have been delivered. */
  maxUnknownOutcomes: number;
}

/** Defaults: 5 tries over about a minute for transient errors; 3 sends at most whose outcome is unknown. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 2000,
  maxDelayMs: 5 * 60_000,
  maxThroughputAttempts: 20,
  maxPairRateAttempts: 6,
  maxUnknownOutcomes: 3,
};

/** How an earlier attempt of the same message failed. */
export type EarlierFailure = Pick<SendError, 'errorClass' | 'code'>;

const HOUR_MS = 3_600_000;
/** 131049: wait at least 24 h; retrying sooner can get the user blocked for us for 24 h (§3). */
export const MARKETING_LIMIT_RETRY_MS = 24 * HOUR_MS;

// Per-code backoff bases for throughput errors: 130429 clears in seconds, 80007 (WABA) and 4 (app, hourly
// window, §2) take longer.
const THROUGHPUT_BASE_MS: Record<number, number> = { 130429: 1000, 80007: 30_000, 4: 60_000 };
const THROUGHPUT_MAX_MS: Record<number, number> = { 130429: 60_000, 80007: 15 * 60_000, 4: HOUR_MS };

/**
 * Decides after a failed attempt. `attempt` counts attempts made so far (1 after the first failure);
 * `earlier` are this message's earlier failures, oldest first; `random` returns [0, 1).
 */
export function decideRetry(
  error: EarlierFailure,
  attempt: number,
  random: () => number,
  earlier: readonly EarlierFailure[] = [],
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const label = error.code === null ? error.errorClass : `${error.code}`;
  switch (error.errorClass) {
    case 'retryable':
      return decideRetryable(error.code, attempt, random, policy, label);
    case 'throughput': {
      if (attempt >= policy.maxThroughputAttempts)
        return fail(`${label}: throughput limit persisted over ${attempt} attempts`);
      const base = THROUGHPUT_BASE_MS[error.code ?? 130429] ?? 1000;
      const max = THROUGHPUT_MAX_MS[error.code ?? 130429] ?? 60_000;
      return retry(fullJitter(attempt, base, max, random), `${label}: sender throughput limit`);
    }
    case 'pair_rate':
      return decidePairRate(attempt, random, policy, label);
    case 'recipient_permanent':
      return decideRecipient(error.code, random, earlier, label);
    case 'template':
      return { action: 'fail', reason: `${label}: template problem; re-sync or fix the template`, flagTemplate: true };
    case 'auth_config':
      return { action: 'pause_sender', reason: `${label}: authentication or configuration problem; check the sender` };
    case 'policy_quality':
      return { action: 'pause_campaign', reason: `${label}: account or quality problem; a person must look` };
    case 'unknown_outcome':
      return decideUnknown(earlier, policy);
  }
}

function decideUnknown(earlier: readonly EarlierFailure[], policy: RetryPolicy): RetryDecision {
  const unknowns = 1 + earlier.filter((e) => e.errorClass === 'unknown_outcome').length;
  // A request that always times out must not become a message resent for ever.
  if (unknowns >= policy.maxUnknownOutcomes) {
    return fail(
      `outcome unknown after ${unknowns} attempts: no answer, and no webhook named the message; it may have been delivered`,
    );
  }
  return { action: 'reconcile', reason: 'outcome unknown; waiting for a webhook naming the message before any resend' };
}

function decideRetryable(
  code: number | null,
  attempt: number,
  random: () => number,
  policy: RetryPolicy,
  label: string,
): RetryDecision {
  // 131057: maintenance such as a throughput upgrade, over within about a minute (§3).
  if (code === 131057 && attempt < policy.maxAttempts)
    return retry(60_000 + Math.floor(random() * 5000), `${label}: maintenance`);
  // 1: "invalid request or possible server error": once, then no (§2).
  const limit = code === 1 ? 2 : policy.maxAttempts;
  if (attempt >= limit) return fail(`${label}: gave up after ${attempt} attempts`);
  return retry(fullJitter(attempt, policy.baseDelayMs, policy.maxDelayMs, random), `${label}: transient error`);
}

function decidePairRate(attempt: number, random: () => number, policy: RetryPolicy, label: string): RetryDecision {
  if (attempt >= policy.maxPairRateAttempts)
    return fail(`${label}: pair rate limit persisted over ${attempt} attempts`);
  // Retry after 4^X s with X = 0, 1, 2… (§3 pair rate limit); a little jitter keeps retries apart.
  const delayMs = 4 ** (attempt - 1) * 1000 + Math.floor(random() * 250);
  return retry(delayMs, `${label}: too many messages to this recipient`);
}

function decideRecipient(
  code: number | null,
  random: () => number,
  earlier: readonly EarlierFailure[],
  label: string,
): RetryDecision {
  if (code === 131050)
    return { action: 'fail', reason: `${label}: recipient stopped marketing messages`, optOut: true };
  if (code === 131049 && !earlier.some((e) => e.code === 131049)) {
    // Wait ≥24 h, then at most once more (§3 per-user marketing limit); jitter spreads the wave.
    const delayMs = MARKETING_LIMIT_RETRY_MS + Math.floor(random() * HOUR_MS);
    return retry(delayMs, `${label}: per-user marketing limit; one more try after 24 h`);
  }
  return fail(`${label}: recipient cannot receive this message`);
}

/** Full jitter: uniform in [0, min(maxMs, baseMs × 2^(attempt−1))), at least 1 ms. */
export function fullJitter(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.floor(random() * ceiling));
}

function retry(delayMs: number, reason: string): RetryDecision {
  return { action: 'retry', delayMs, reason };
}

function fail(reason: string): RetryDecision {
  return { action: 'fail', reason };
}
