// The messaging limit (`WA_DAILY_LIMIT`): unique users reached outside a customer-service window in a moving
// 24 h (reference/cloud-api.md §3). Meta offers no remaining-quota API, so Chorus counts; the store supplies
// the counts, this decides. Pure.

/** The rolling window the messaging limit counts over. */
export const DAILY_WINDOW_MS = 24 * 3_600_000;

/** What the store knows about the sender's last 24 h and this recipient. */
export interface DailyCapInput {
  nowMs: number;
  /** The sender's cap of unique recipients per rolling 24 h. */
  dailyLimit: number;
  /** Unique recipients messaged outside a service window in (nowMs − 24 h, nowMs]. */
  uniqueRecipientsLast24h: number;
  /** Whether this recipient is already among them (a repeat consumes no quota). */
  isRepeatRecipient: boolean;
  /** Whether the recipient wrote to us in the last 24 h (an open service window is not counted). */
  isServiceWindowOpen: boolean;
  /**
   * The earliest "last out-of-window send" among the counted recipients: the first to leave the window,
   * at that time + 24 h. Null if unknown.
   */
  oldestCountedSendAtMs: number | null;
}

/** Send now (and whether it uses a slot of the quota), or wait until a slot frees. */
export type DailyCapDecision = { allow: true; consumesQuota: boolean } | { allow: false; retryAtMs: number };

/** How long to wait when the store cannot say when a slot frees. */
export const UNKNOWN_FREE_SLOT_WAIT_MS = 60_000;

/** Decides whether this recipient fits the rolling-24 h unique-recipient cap now. */
export function checkDailyRecipientCap(input: DailyCapInput): DailyCapDecision {
  if (input.isServiceWindowOpen) return { allow: true, consumesQuota: false };
  if (input.isRepeatRecipient) return { allow: true, consumesQuota: false };
  if (input.uniqueRecipientsLast24h < input.dailyLimit) return { allow: true, consumesQuota: true };
  const freesAt =
    input.oldestCountedSendAtMs === null
      ? input.nowMs + UNKNOWN_FREE_SLOT_WAIT_MS
      : input.oldestCountedSendAtMs + DAILY_WINDOW_MS;
  return { allow: false, retryAtMs: Math.max(freesAt, input.nowMs + 1) };
}

/** How many new recipients still fit now. */
export function remainingDailyQuota(dailyLimit: number, uniqueRecipientsLast24h: number): number {
  return Math.max(0, dailyLimit - uniqueRecipientsLast24h);
}
