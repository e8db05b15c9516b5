// The per-number limits Meta enforces on sends (reference/cloud-api.md §3), memory-light.

/** 130429: at most `perSecond` accepted sends in any sliding 1-second window. */
export class ThroughputWindow {
  private ring: Float64Array;
  private next = 0;

  constructor(perSecond: number) {
    this.ring = new Float64Array(Math.max(1, Math.floor(perSecond))).fill(Number.NEGATIVE_INFINITY);
  }

  /** Takes a slot at nowMs, or answers false when the last `perSecond` sends all fall within 1 s. */
  tryTake(nowMs: number): boolean {
    const oldest = this.ring[this.next] as number;
    if (nowMs - oldest < 1000) return false;
    this.ring[this.next] = nowMs;
    this.next = (this.next + 1) % this.ring.length;
    return true;
  }

  /** The cap this window enforces. */
  get perSecond(): number {
    return this.ring.length;
  }
}

/**
 * 131056: pair rate, one message per `intervalMs` to the same user with bursts that borrow future
 * quota (§3: 1 per 6 s, bursts up to 45). A GCRA keeps one number per recent recipient.
 */
export class PairRate {
  private readonly theoreticalArrivalMs = new Map<string, number>();
  private lastSweepMs = 0;

  /** Answers true and charges the recipient, or false when the burst allowance is spent. */
  tryTake(waId: string, nowMs: number, intervalMs: number, burst: number): boolean {
    this.sweep(nowMs);
    const tat = Math.max(this.theoreticalArrivalMs.get(waId) ?? nowMs, nowMs);
    if (tat - nowMs > (burst - 1) * intervalMs) return false;
    this.theoreticalArrivalMs.set(waId, tat + intervalMs);
    return true;
  }

  // Recipients whose quota has fully recovered need no entry: drop them every few seconds.
  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweepMs < 5_000) return;
    this.lastSweepMs = nowMs;
    for (const [waId, tat] of this.theoreticalArrivalMs) if (tat <= nowMs) this.theoreticalArrivalMs.delete(waId);
  }
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Messaging limit: unique users reached outside a service window per rolling 24 h (§3). */
export class UniqueRecipients {
  // Insertion order is first-contact order, so expiry only ever looks at the front.
  private readonly firstContactMs = new Map<string, number>();

  /** Counts the user (if new) and answers false when that would exceed `limit`. */
  tryAdd(waId: string, nowMs: number, limit: number): boolean {
    for (const [oldest, atMs] of this.firstContactMs) {
      if (nowMs - atMs < DAY_MS) break;
      this.firstContactMs.delete(oldest);
    }
    if (this.firstContactMs.has(waId)) return true;
    if (this.firstContactMs.size >= limit) return false;
    this.firstContactMs.set(waId, nowMs);
    return true;
  }

  /** Unique users counted in the current 24 h. */
  get size(): number {
    return this.firstContactMs.size;
  }
}

/** 131049 (simulated): marketing templates one user received in a fixed 24 h window. */
export class MarketingCap {
  private readonly counts = new Map<string, { count: number; sinceMs: number }>();

  /** Counts one marketing template; false once the user is over `cap` this day. */
  tryTake(waId: string, nowMs: number, cap: number): boolean {
    const entry = this.counts.get(waId);
    if (entry === undefined || nowMs - entry.sinceMs >= DAY_MS) {
      this.counts.set(waId, { count: 1, sinceMs: nowMs });
      return cap >= 1;
    }
    entry.count += 1;
    return entry.count <= cap;
  }
}
