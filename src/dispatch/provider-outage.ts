// A sender-wide circuit breaker for the Cloud API. When Meta (or the network to it) fails as a
// whole — 5xx answers, hung or dropped connections — retrying each message on its own clock would
// burn every message's retry budget within the outage and fail the campaign. Instead, after a run
// of such failures the sender stops sending, tries one message now and then (a probe) with a
// growing pause, and resumes at full pace on the first answer that is not an outage.
import type { SendOutcome } from '../domain/outbound-message.ts';
import type { Logger } from '../logger.ts';

/** Tunables; all times in ms. */
export interface ProviderOutageOptions {
  /** Consecutive outage failures that mean the API, not a message, is failing. */
  threshold: number;
  /** First pause before a probe; each failed probe doubles it up to maxPauseMs. */
  basePauseMs: number;
  maxPauseMs: number;
}

/** Defaults: a dozen failures in a row; probes after 1 s, 2 s, 4 s … then every 15 s. */
export const DEFAULT_PROVIDER_OUTAGE_OPTIONS: ProviderOutageOptions = {
  threshold: 12,
  basePauseMs: 1_000,
  maxPauseMs: 15_000,
};

/**
 * True when an answer says the provider is unavailable rather than this message being wrong: a
 * server error, a refused or failed connection, or no answer at all (timeout, dropped connection).
 */
export function isOutageFailure(outcome: SendOutcome): boolean {
  if (outcome.ok) return false;
  const { errorClass, httpStatus } = outcome.error;
  if (errorClass === 'unknown_outcome') return httpStatus === null;
  if (errorClass === 'retryable') return httpStatus === null || httpStatus >= 500;
  return false;
}

/** The breaker's state for one sender; times come from the caller's clock. */
export class ProviderOutage {
  private consecutiveFailures = 0;
  private downSinceMs: number | null = null;
  private failedProbes = 0;
  private nextProbeAtMs = 0;

  constructor(
    private readonly logger: Logger,
    private readonly options: ProviderOutageOptions = DEFAULT_PROVIDER_OUTAGE_OPTIONS,
  ) {}

  /** True while the provider is held to be down. */
  get isDown(): boolean {
    return this.downSinceMs !== null;
  }

  /**
   * How many sends may leave now: all of them while the provider is up, none while it is down,
   * one (the probe) when a pause has run out. Granting a probe starts the next pause at once, so
   * a probe that never answers still lets another go later.
   */
  allowance(nowMs: number): number {
    if (this.downSinceMs === null) return Number.POSITIVE_INFINITY;
    if (nowMs < this.nextProbeAtMs) return 0;
    this.nextProbeAtMs = nowMs + this.pauseMs();
    return 1;
  }

  /** How long until a send may leave (0 while up). */
  waitMs(nowMs: number): number {
    return this.downSinceMs === null ? 0 : Math.max(0, this.nextProbeAtMs - nowMs);
  }

  /** Hears every answer as it comes back, with when its request left. */
  note(outcome: SendOutcome, startedAtMs: number, nowMs: number): void {
    if (!isOutageFailure(outcome)) {
      this.noteAnswer(nowMs);
      return;
    }
    this.consecutiveFailures += 1;
    const reason = outcome.ok ? '' : outcome.error.title;
    if (this.downSinceMs !== null) {
      // Sends that left before the outage was seen say nothing new; a failed probe means wait longer.
      if (startedAtMs < this.downSinceMs) return;
      this.failedProbes += 1;
      this.nextProbeAtMs = nowMs + this.pauseMs();
      return;
    }
    if (this.consecutiveFailures < this.options.threshold) return;
    this.downSinceMs = nowMs;
    this.failedProbes = 0;
    this.nextProbeAtMs = nowMs + this.pauseMs();
    this.logger.warn(
      { reason, failuresInARow: this.consecutiveFailures, nextTryMs: this.pauseMs() },
      'Cloud API unavailable: sending paused; one message will probe it until it answers again',
    );
  }

  private noteAnswer(nowMs: number): void {
    this.consecutiveFailures = 0;
    if (this.downSinceMs === null) return;
    this.logger.info(
      { downMs: nowMs - this.downSinceMs, failedProbes: this.failedProbes },
      'Cloud API answers again: sending resumed',
    );
    this.downSinceMs = null;
  }

  private pauseMs(): number {
    return Math.min(this.options.maxPauseMs, this.options.basePauseMs * 2 ** this.failedProbes);
  }
}
