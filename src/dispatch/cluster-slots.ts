// A worker's share of a sender's messages/second when several workers send for it (PostgreSQL):
// send slots are taken from the one limiter row every worker shares (store/rate-slots-repo.ts),
// a short look-ahead at a time, and each message leaves at its slot. Slots are handed out
// `1000 / rate` ms apart across the whole cluster, so no one-second window holds more than the
// rate, whichever worker sends; a slot missed by more than a few ms is given up, not bunched.
import type { RateSlotRequest, RateSlots } from '../store/rate-slots-repo.ts';

/** Takes slots from the shared limiter (the store implements it). */
export type SlotSource = (request: RateSlotRequest) => Promise<RateSlots>;

/** How the shared limiter is used. */
export interface ClusterSlotOptions {
  senderId: string;
  /** How far ahead of now slots are handed out: bounds what one worker may hold (default 100 ms). */
  lookaheadMs?: number;
  /**
   * The share of the cap the slots are spaced for (default 0.96): arrivals at Meta jitter by a few
   * ms (timers, GC, the network), and this margin keeps every 1 s window there within the cap.
   */
  capShare?: number;
  /** A slot missed by more than this is given up rather than sent late (default 10 ms). */
  maxLateMs?: number;
}

const DEFAULTS = { lookaheadMs: 100, capShare: 0.96, maxLateMs: 10 };
// Grants whose clock offsets are kept: enough to hold a quiet moment's, few enough to follow drift.
const OFFSET_SAMPLES = 64;

/** Slots this worker took, in its own clock. */
export class ClusterSlots {
  readonly lookaheadMs: number;
  readonly maxLateMs: number;
  private readonly capShare: number;
  private nextAskAt = Number.NEGATIVE_INFINITY;
  private granted: number[] = [];
  private readonly offsetSamples: number[] = [];

  constructor(
    private readonly source: SlotSource,
    private readonly options: ClusterSlotOptions,
    private readonly clock: () => number,
  ) {
    this.lookaheadMs = options.lookaheadMs ?? DEFAULTS.lookaheadMs;
    this.maxLateMs = options.maxLateMs ?? DEFAULTS.maxLateMs;
    this.capShare = options.capShare ?? DEFAULTS.capShare;
  }

  /** Messages worth claiming at once: what the look-ahead holds at this rate. */
  batchSize(ratePerSec: number): number {
    return Math.max(1, Math.ceil((ratePerSec * this.capShare * this.lookaheadMs) / 1000));
  }

  /** Takes up to `wanted` slots; answers their times in this process's clock (maybe fewer, maybe none). */
  async take(wanted: number, ratePerSec: number): Promise<number[]> {
    const intervalMs = 1000 / (ratePerSec * this.capShare);
    const grant = await this.source({
      senderId: this.options.senderId,
      want: wanted,
      intervalMs,
      lookaheadMs: this.lookaheadMs,
    });
    const offset = this.offsetMs(this.clock() - grant.serverNowMs);
    this.nextAskAt = grant.nextFreeMs + offset;
    const slots = Array.from({ length: grant.count }, (_, i) => grant.firstSlotMs + i * intervalMs + offset);
    this.remember(slots);
    return slots;
  }

  /**
   * The server's clock mapped onto ours, so workers' clocks need not agree: the least of the
   * recent (our clock at the answer − the server's at the grant), as NTP does, since an answer
   * held up by a busy event loop would shift its slots late and bunch them with the next grant's.
   */
  private offsetMs(sample: number): number {
    this.offsetSamples.push(sample);
    if (this.offsetSamples.length > OFFSET_SAMPLES) this.offsetSamples.shift();
    return Math.min(...this.offsetSamples);
  }

  /** How long until slots are free again (after a grant that gave none). */
  waitMs(nowMs: number): number {
    return Math.max(1, Math.ceil(this.nextAskAt - nowMs));
  }

  /** Slots this worker took in the second before `nowMs` (for /metrics). */
  grantsInLastSecond(nowMs: number): number {
    return this.granted.filter((at) => at > nowMs - 1000 && at <= nowMs).length;
  }

  private remember(slots: number[]): void {
    const since = this.clock() - 1000;
    this.granted = this.granted.filter((at) => at > since).concat(slots);
  }
}
