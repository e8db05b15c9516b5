import type { Database } from '../store/db.ts';
import { findOpenServiceWindows } from '../store/inbound-repo.ts';
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import { countRecipientsSince, loadRecipientSends } from '../store/recipient-sends-repo.ts';
import {
  type AdaptiveRateOptions,
  type AdaptiveRateState,
  currentRatePerSec,
  initialAdaptiveRate,
  recordThroughputError,
} from './adaptive-rate.ts';
import { TokenBucket } from './token-bucket.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
// About one message per 6 s to the same user (reference/cloud-api.md §3 "Pair rate limit").
const DEFAULT_PAIR_GAP_MS = 6_000;
// The rolling count is re-read from the store this often; in between, new recipients are counted here.
const RECOUNT_EVERY_MS = 60_000;

/** A sender's limits as configured: `ratePerSec` 0 means no throughput limit (benchmarks only). */
export interface SenderLimitOptions {
  senderId: string;
  /** The sender's business number: a recipient who wrote to it lately is inside its service window. */
  phoneNumberId: string;
  ratePerSec: number;
  dailyRecipientLimit: number;
  pairGapMs?: number;
}

/** What a sender's limiter holds at one moment, for /metrics. */
export interface SenderLimitsSnapshot {
  /** The configured messages/second; 0 when the throughput limit is off. */
  capPerSec: number;
  /** The rate the limiter lets through now: the cap, or less after a throughput error. */
  allowedPerSec: number;
  /** Send tokens taken in the last second (null when the throughput limit is off). */
  sentLastSecond: number | null;
  /** Unique recipients counted in the rolling 24 h, and their cap. */
  dailyRecipients: number;
  dailyRecipientLimit: number;
}

/** A claimed message held back, and until when. */
export interface Deferral {
  id: number;
  nextAttemptAt: number;
  reason: string;
}

/**
 * Every limit of one sender, enforced before a request leaves (DESIGN.md): the messages/second
 * bucket (lowered by throughput errors, then climbing back), the rolling-24 h unique-recipient
 * cap, and the per-recipient gap across campaigns.
 */
export class SenderLimits {
  private readonly bucket: TokenBucket | undefined;
  private readonly adaptive: AdaptiveRateOptions | undefined;
  private adaptiveState: AdaptiveRateState | undefined;
  private counted = 0;
  private oldestCountedAt: number | null = null;
  private countedAt = Number.NEGATIVE_INFINITY;
  private readonly pairGapMs: number;
  // Recipients admitted lately, so the pair gap holds before their sends are recorded in the store.
  private readonly recentlyAdmitted = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly options: SenderLimitOptions,
    nowMs: number,
  ) {
    this.pairGapMs = options.pairGapMs ?? DEFAULT_PAIR_GAP_MS;
    if (options.ratePerSec > 0) {
      this.bucket = new TokenBucket({ capPerSec: options.ratePerSec }, nowMs);
      this.adaptive = { capPerSec: options.ratePerSec };
      this.adaptiveState = initialAdaptiveRate(this.adaptive, nowMs);
    }
  }

  /** Takes up to `wanted` send tokens now; answers how many were granted. */
  grant(nowMs: number, wanted: number): number {
    if (!this.bucket || !this.adaptive || !this.adaptiveState) return wanted;
    this.bucket.setRatePerSec(currentRatePerSec(this.adaptiveState, this.adaptive, nowMs));
    return this.bucket.tryTake(nowMs, wanted).granted;
  }

  /** Takes up to `wanted` tokens now; answers one ticket per token granted, to settle when answered. */
  grantTickets(nowMs: number, wanted: number): number[] {
    if (!this.bucket) return Array.from({ length: wanted }, () => -1);
    const first = this.bucket.grantCount;
    const granted = this.grant(nowMs, wanted);
    return Array.from({ length: granted }, (_, i) => first + i);
  }

  /** The request of a ticket was answered at `nowMs` (see TokenBucket.settle). */
  settle(ticket: number, nowMs: number): void {
    if (ticket >= 0) this.bucket?.settle(ticket, nowMs);
  }

  /** How many of `wanted` tokens grant would give now, without taking them. */
  available(nowMs: number, wanted: number): number {
    if (!this.bucket || !this.adaptive || !this.adaptiveState) return wanted;
    this.bucket.setRatePerSec(currentRatePerSec(this.adaptiveState, this.adaptive, nowMs));
    return this.bucket.available(nowMs, wanted);
  }

  /** How long until a token is free (0 when one is). */
  waitMs(nowMs: number): number {
    return this.bucket?.waitMs(nowMs) ?? 0;
  }

  /** A throughput error (130429, 80007, 4) lowers the rate; it climbs back on its own. */
  noteThroughputError(nowMs: number): void {
    if (!this.adaptive || !this.adaptiveState) return;
    this.adaptiveState = recordThroughputError(this.adaptiveState, this.adaptive, nowMs);
  }

  /** A read-only look at the limiter: the cap, the rate allowed now and the rate being sent at. */
  snapshot(nowMs: number): SenderLimitsSnapshot {
    const { ratePerSec, dailyRecipientLimit } = this.options;
    const { adaptive, adaptiveState } = this;
    return {
      capPerSec: ratePerSec,
      allowedPerSec: adaptive && adaptiveState ? currentRatePerSec(adaptiveState, adaptive, nowMs) : ratePerSec,
      sentLastSecond: this.bucket?.grantsInWindow(nowMs) ?? null,
      dailyRecipients: this.counted,
      dailyRecipientLimit,
    };
  }

  /** Splits claimed messages into those that may go now and those that must wait (pair gap, daily cap). */
  async admit(
    messages: ClaimedMessage[],
    nowMs: number,
  ): Promise<{ sendable: ClaimedMessage[]; deferred: Deferral[] }> {
    await this.recountIfDue(nowMs);
    const phones = messages.map((m) => m.phone);
    const known = await loadRecipientSends(this.database.db, this.options.senderId, phones);
    // Someone who wrote to us in the last 24 h is inside their service window: no quota (reference §3).
    const windowOpen = await findOpenServiceWindows(
      this.database.db,
      this.options.phoneNumberId,
      phones,
      nowMs - DAY_MS,
    );
    const sendable: ClaimedMessage[] = [];
    const deferred: Deferral[] = [];
    const seen = new Set<string>();
    for (const message of messages) {
      const record = known.get(message.phone);
      const lastSentAt = Math.max(record?.lastSentAt ?? 0, this.recentlyAdmitted.get(message.phone) ?? 0);
      const nextByPair = lastSentAt > 0 ? lastSentAt + this.pairGapMs : 0;
      if (nextByPair > nowMs || seen.has(message.phone)) {
        deferred.push({
          id: message.id,
          nextAttemptAt: nextByPair > nowMs ? nextByPair : nowMs + this.pairGapMs,
          reason: 'pair rate: waiting between messages to this recipient',
        });
        continue;
      }
      const isCounted =
        windowOpen.has(message.phone) || (record !== undefined && record.windowStartedAt > nowMs - DAY_MS);
      if (!isCounted && this.counted >= this.options.dailyRecipientLimit) {
        const freeAt = (this.oldestCountedAt ?? nowMs) + DAY_MS;
        deferred.push({
          id: message.id,
          nextAttemptAt: Math.max(freeAt, nowMs + 1_000),
          reason: `daily limit: ${this.options.dailyRecipientLimit} unique recipients per 24 h reached`,
        });
        continue;
      }
      if (!isCounted) this.counted++;
      seen.add(message.phone);
      this.recentlyAdmitted.set(message.phone, nowMs);
      sendable.push(message);
    }
    this.forgetOldAdmissions(nowMs);
    return { sendable, deferred };
  }

  private forgetOldAdmissions(nowMs: number): void {
    if (this.recentlyAdmitted.size < 50_000) return;
    for (const [phone, at] of this.recentlyAdmitted)
      if (at < nowMs - this.pairGapMs) this.recentlyAdmitted.delete(phone);
  }

  private async recountIfDue(nowMs: number): Promise<void> {
    if (nowMs - this.countedAt < RECOUNT_EVERY_MS) return;
    const { count, oldestAt } = await countRecipientsSince(this.database.db, this.options.senderId, nowMs - DAY_MS);
    this.counted = count;
    this.oldestCountedAt = oldestAt;
    this.countedAt = nowMs;
  }
}
