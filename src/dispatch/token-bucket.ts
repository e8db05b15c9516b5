// Per-sender messages/second (reference/cloud-api.md §3: 80 mps by default, over → 130429). A token bucket
// smooths sends at the current rate with a small burst; a log of the last `capPerSec` grant times makes the
// hard guarantee: no window of `windowMs` ever holds more than `capPerSec` grants, whatever the rate, burst
// or calling pattern. Under saturation the average reaches the cap. Pure: the caller passes the clock.

/** Configuration of one sender's bucket. */
export interface TokenBucketOptions {
  /** Hard cap: never more than this many grants in any `windowMs`. */
  capPerSec: number;
  /**
   * Tokens that may be taken at once after a pause (default 20% of the cap, at least 2): absorbs
   * late wake-ups. A busy process wakes 50–100 ms late now and then; with a burst of 5% every
   * such wake-up loses tokens (a mean of 96% of the cap at 1,000 msg/s). The window log still
   * holds the cap.
   */
  burst?: number;
  /** The sliding window the cap applies to (default 1000 ms). */
  windowMs?: number;
}

/** The answer to tryTake: how many were granted, and if fewer than asked, how long until one more may be. */
export interface TakeResult {
  granted: number;
  /** 0 when everything asked was granted; else the wait before asking again. */
  waitMs: number;
}

// Absorbs floating-point error in refills so a whole token is not lost to 0.9999999.
const EPSILON = 1e-9;

/** A token bucket with a hard sliding-window cap; the state lives in memory and is driven by `nowMs`. */
export class TokenBucket {
  readonly capPerSec: number;
  readonly burst: number;
  readonly windowMs: number;
  private ratePerSec: number;
  private tokens: number;
  private lastRefillMs: number;
  // Ring of the last `capPerSec` grant times; `head` is the oldest once full.
  private readonly grants: number[] = [];
  private head = 0;
  // Grants ever recorded; grant k sits in slot k % capPerSec of the log.
  private granted = 0;

  constructor(options: TokenBucketOptions, startMs: number) {
    if (!(options.capPerSec >= 1)) throw new RangeError('capPerSec must be at least 1');
    this.capPerSec = Math.floor(options.capPerSec);
    this.burst = Math.max(1, options.burst ?? Math.max(2, Math.ceil(this.capPerSec / 5)));
    this.windowMs = options.windowMs ?? 1000;
    this.ratePerSec = this.capPerSec;
    this.tokens = this.burst;
    this.lastRefillMs = startMs;
  }

  /** The current refill rate (the adaptive controller may hold it below the cap). */
  get currentRatePerSec(): number {
    return this.ratePerSec;
  }

  /** Sets the refill rate, clamped to (0, capPerSec]. */
  setRatePerSec(ratePerSec: number): void {
    this.ratePerSec = Math.min(this.capPerSec, Math.max(ratePerSec, 0.001));
  }

  /** Takes up to `count` tokens at `nowMs`; a clock that goes backwards is treated as standing still. */
  tryTake(nowMs: number, count = 1): TakeResult {
    const now = Math.max(nowMs, this.lastRefillMs);
    this.refill(now);
    let granted = 0;
    while (granted < count && this.tokens + EPSILON >= 1 && this.logAllows(now)) {
      this.tokens -= 1;
      this.record(now);
      granted++;
    }
    return { granted, waitMs: granted === count ? 0 : this.waitMs(now) };
  }

  /**
   * How many of `wanted` tokens tryTake would grant at `nowMs`, without taking them: the dispatcher
   * claims that many rows first and takes the tokens only as the requests leave.
   */
  available(nowMs: number, wanted: number): number {
    const now = Math.max(nowMs, this.lastRefillMs);
    this.refill(now);
    const free = this.capPerSec - this.grants.length;
    let n = 0;
    while (n < wanted && this.tokens + EPSILON >= n + 1) {
      // Past the free slots, the n-th oldest grant must have left the window.
      if (n >= free && now - this.grants[(this.head + n - free) % this.capPerSec]! < this.windowMs) break;
      n++;
    }
    return n;
  }

  /** How long from `nowMs` until one token could be granted (0 if now). */
  waitMs(nowMs: number): number {
    const now = Math.max(nowMs, this.lastRefillMs);
    this.refill(now);
    const bucketWaitMs = this.tokens + EPSILON >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.ratePerSec;
    const logWaitMs = this.logAllows(now) ? 0 : this.oldestGrant() + this.windowMs - now;
    return Math.max(0, Math.ceil(Math.max(bucketWaitMs, logWaitMs)));
  }

  private refill(now: number): void {
    const elapsedMs = now - this.lastRefillMs;
    if (elapsedMs <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSec) / 1000);
    this.lastRefillMs = now;
  }

  // A new grant at `now` keeps every window ≤ cap iff the cap-th previous grant is at least windowMs old.
  private logAllows(now: number): boolean {
    return this.grants.length < this.capPerSec || now - this.oldestGrant() >= this.windowMs;
  }

  private oldestGrant(): number {
    return this.grants.length < this.capPerSec ? Number.NEGATIVE_INFINITY : this.grants[this.head]!;
  }

  /** How many grants the log holds from the last `windowMs` before `nowMs`: the rate being sent at. */
  grantsInWindow(nowMs: number): number {
    let count = 0;
    for (const at of this.grants) if (at > nowMs - this.windowMs && at <= nowMs) count++;
    return count;
  }

  /** How many tokens were ever granted: the next grant's index (for settle). */
  get grantCount(): number {
    return this.granted;
  }

  /**
   * Moves grant `index` to when its request was answered: Meta stamped it somewhere between
   * sending and answering, so counting it from the answer keeps every window at Meta's end within
   * the cap whatever the latency. A grant no longer in the log is ignored.
   */
  settle(index: number, answeredAtMs: number): void {
    if (index < this.granted - this.grants.length || index >= this.granted) return;
    const slot = index % this.capPerSec;
    if (answeredAtMs > this.grants[slot]!) this.grants[slot] = answeredAtMs;
  }

  private record(now: number): void {
    this.granted++;
    if (this.grants.length < this.capPerSec) {
      this.grants.push(now);
      return;
    }
    this.grants[this.head] = now;
    this.head = (this.head + 1) % this.capPerSec;
  }
}
