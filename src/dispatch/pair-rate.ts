// Per-recipient pacing across all campaigns: Meta allows about one message per 6 s to the same user
// (reference/cloud-api.md §3; over → 131056). Bursts are allowed by Meta but borrow future quota, so Chorus
// simply keeps the gap. Pure: the store supplies the last send time.

/** Default minimum gap between two messages to one recipient (§3: 1 message / 6 s). */
export const DEFAULT_PAIR_GAP_MS = 6000;

/** The earliest time the next message to this recipient may go (any time, if never sent). */
export function earliestNextSendAt(lastSentAtMs: number | null, gapMs: number = DEFAULT_PAIR_GAP_MS): number {
  return lastSentAtMs === null ? Number.NEGATIVE_INFINITY : lastSentAtMs + gapMs;
}

/** `nowMs` if this recipient may be messaged now, else when. */
export function pairRateReadyAt(
  nowMs: number,
  lastSentAtMs: number | null,
  gapMs: number = DEFAULT_PAIR_GAP_MS,
): number {
  return Math.max(nowMs, earliestNextSendAt(lastSentAtMs, gapMs));
}

/** Whether this recipient may be messaged now. */
export function isPairRateReady(
  nowMs: number,
  lastSentAtMs: number | null,
  gapMs: number = DEFAULT_PAIR_GAP_MS,
): boolean {
  return pairRateReadyAt(nowMs, lastSentAtMs, gapMs) === nowMs;
}
