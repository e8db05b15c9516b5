import type { Database } from '../store/db.ts';
import { findOpenServiceWindows } from '../store/inbound-repo.ts';
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import { ensureRateLimitRow, takeRateSlots } from '../store/rate-slots-repo.ts';
import { readReservations, reserveRecipients, withRecipientLock } from '../store/recipient-reservations-repo.ts';
import { countRecipientsSince, loadRecipientSends, type RecipientSend } from '../store/recipient-sends-repo.ts';
import {
  type AdaptiveRateOptions,
  type AdaptiveRateState,
  currentRatePerSec,
  initialAdaptiveRate,
  recordThroughputError,
} from './adaptive-rate.ts';
import { ClusterSlots } from './cluster-slots.ts';
import { type Admission, type Deferral, decideAdmission } from './recipient-admission.ts';
import { TokenBucket } from './token-bucket.ts';

export type { Deferral } from './recipient-admission.ts';

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
  /**
   * Several workers send for this sender (PostgreSQL): the rate, the pair gap and the daily cap
   * are held in the store for all of them together, not in this process's memory.
   */
  isShared?: boolean;
}

/** Leave to send one message: when it may leave (0: now), and its place in the local log. */
export interface SendTicket {
  index: number;
  notBeforeMs: number;
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

/**
 * Every limit of one sender, enforced before a request leaves (DESIGN.md): the messages/second
 * bucket (lowered by throughput errors, then climbing back), the rolling-24 h unique-recipient
 * cap, and the per-recipient gap across campaigns.
 */
export class SenderLimits {
  private readonly bucket: TokenBucket | undefined;
  private readonly shared: ClusterSlots | undefined;
  private readonly adaptive: AdaptiveRateOptions | undefined;
  private adaptiveState: AdaptiveRateState | undefined;
  private counted = 0;
  private oldestCountedAt: number | null = null;
  private countedAt = Number.NEGATIVE_INFINITY;
  private readonly pairGapMs: number;
  // Recipients admitted lately, so the pair gap holds before their sends are recorded in the store.
  private readonly recentlyAdmitted = new Map<string, number>();
  private hasLimiterRow = false;

  constructor(
    private readonly database: Database,
    private readonly options: SenderLimitOptions,
    nowMs: number,
    clock: () => number = Date.now,
  ) {
    this.pairGapMs = options.pairGapMs ?? DEFAULT_PAIR_GAP_MS;
    if (options.ratePerSec > 0) {
      if (options.isShared) {
        const { db } = database;
        this.shared = new ClusterSlots((request) => takeRateSlots(db, request), { senderId: options.senderId }, clock);
      } else this.bucket = new TokenBucket({ capPerSec: options.ratePerSec }, nowMs);
      this.adaptive = { capPerSec: options.ratePerSec };
      this.adaptiveState = initialAdaptiveRate(this.adaptive, nowMs);
    }
  }

  /** Takes up to `wanted` send tokens now; answers how many were granted (one process's bucket). */
  grant(nowMs: number, wanted: number): number {
    if (!this.bucket) return wanted;
    this.bucket.setRatePerSec(this.ratePerSec(nowMs));
    return this.bucket.tryTake(nowMs, wanted).granted;
  }

  /**
   * Takes up to `wanted` tokens now; answers a ticket per token granted, to settle when answered.
   * Shared by workers, a ticket is a slot a little ahead, and the message waits for it.
   */
  async takeTickets(nowMs: number, wanted: number): Promise<SendTicket[]> {
    if (this.shared) {
      if (!this.hasLimiterRow) await ensureRateLimitRow(this.database.db, this.options.senderId);
      this.hasLimiterRow = true;
      const slots = await this.shared.take(wanted, this.ratePerSec(nowMs));
      return slots.map((notBeforeMs) => ({ index: -1, notBeforeMs }));
    }
    if (!this.bucket) return Array.from({ length: wanted }, () => ({ index: -1, notBeforeMs: 0 }));
    const first = this.bucket.grantCount;
    const granted = this.grant(nowMs, wanted);
    return Array.from({ length: granted }, (_, i) => ({ index: first + i, notBeforeMs: 0 }));
  }

  /** Whether a ticket's slot passed too long ago to be used without bunching sends at Meta's end. */
  isTicketLate(ticket: SendTicket, nowMs: number): boolean {
    return this.shared !== undefined && nowMs - ticket.notBeforeMs > this.shared.maxLateMs;
  }

  /** The request of a ticket was answered at `nowMs` (see TokenBucket.settle). */
  settle(ticket: SendTicket, nowMs: number): void {
    if (ticket.index >= 0) this.bucket?.settle(ticket.index, nowMs);
  }

  /** How many of `wanted` tokens grant would give now, without taking them (shared: a look-ahead's worth). */
  available(nowMs: number, wanted: number): number {
    if (this.shared) return Math.min(wanted, this.shared.batchSize(this.ratePerSec(nowMs)));
    if (!this.bucket) return wanted;
    this.bucket.setRatePerSec(this.ratePerSec(nowMs));
    return this.bucket.available(nowMs, wanted);
  }

  /** How long until a token is free (0 when one is). */
  waitMs(nowMs: number): number {
    return this.shared?.waitMs(nowMs) ?? this.bucket?.waitMs(nowMs) ?? 0;
  }

  /** A throughput error (130429, 80007, 4) lowers the rate; it climbs back on its own. */
  noteThroughputError(nowMs: number): void {
    if (!this.adaptive || !this.adaptiveState) return;
    this.adaptiveState = recordThroughputError(this.adaptiveState, this.adaptive, nowMs);
  }

  /** A read-only look at the limiter: the cap, the rate allowed now and the rate being sent at. */
  snapshot(nowMs: number): SenderLimitsSnapshot {
    const { ratePerSec, dailyRecipientLimit } = this.options;
    return {
      capPerSec: ratePerSec,
      allowedPerSec: this.ratePerSec(nowMs),
      sentLastSecond: this.shared?.grantsInLastSecond(nowMs) ?? this.bucket?.grantsInWindow(nowMs) ?? null,
      dailyRecipients: this.counted,
      dailyRecipientLimit,
    };
  }

  /** Splits claimed messages into those that may go now and those that must wait (pair gap, daily cap). */
  async admit(
    messages: ClaimedMessage[],
    nowMs: number,
  ): Promise<{ sendable: ClaimedMessage[]; deferred: Deferral[] }> {
    const phones = messages.map((m) => m.phone);
    // Someone who wrote to us in the last 24 h is inside their service window: no quota (reference §3).
    const windowOpen = await findOpenServiceWindows(
      this.database.db,
      this.options.phoneNumberId,
      phones,
      nowMs - DAY_MS,
    );
    if (this.options.isShared) return this.admitShared(messages, windowOpen, nowMs);
    await this.recountIfDue(nowMs);
    const known = await loadRecipientSends(this.database.db, this.options.senderId, phones);
    const admission = this.decide(messages, known, windowOpen, nowMs, (phone) => this.recentlyAdmitted.get(phone) ?? 0);
    this.counted += admission.newlyCounted.length;
    for (const message of admission.sendable) this.recentlyAdmitted.set(message.phone, nowMs);
    this.forgetOldAdmissions(nowMs);
    return admission;
  }

  /**
   * Every worker's admissions for this sender, one at a time: the recipients the others reserved
   * are read, and the admitted ones reserved, before the lock is let go.
   */
  private admitShared(messages: ClaimedMessage[], windowOpen: Set<string>, nowMs: number): Promise<Admission> {
    const { senderId } = this.options;
    return withRecipientLock(this.database.db, senderId, async (tx) => {
      const phones = messages.map((m) => m.phone);
      const { daily, known } = await readReservations(tx, senderId, phones, nowMs, RECOUNT_EVERY_MS);
      this.counted = daily.count;
      this.oldestCountedAt = daily.oldestAt;
      const admission = this.decide(messages, known, windowOpen, nowMs, () => 0);
      const reserved = admission.sendable.map((m) => ({
        sender_id: senderId,
        phone: m.phone,
        window_started_at: nowMs,
        last_sent_at: nowMs,
      }));
      await reserveRecipients(tx, senderId, reserved, admission.newlyCounted.length);
      this.counted += admission.newlyCounted.length;
      return admission;
    });
  }

  private decide(
    messages: ClaimedMessage[],
    known: Map<string, RecipientSend>,
    windowOpen: Set<string>,
    nowMs: number,
    lastAdmittedAt: (phone: string) => number,
  ): Admission {
    return decideAdmission({
      messages,
      known,
      windowOpen,
      counted: this.counted,
      oldestCountedAt: this.oldestCountedAt,
      lastAdmittedAt,
      nowMs,
      pairGapMs: this.pairGapMs,
      dailyRecipientLimit: this.options.dailyRecipientLimit,
    });
  }

  private ratePerSec(nowMs: number): number {
    const { adaptive, adaptiveState } = this;
    return adaptive && adaptiveState ? currentRatePerSec(adaptiveState, adaptive, nowMs) : this.options.ratePerSec;
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
