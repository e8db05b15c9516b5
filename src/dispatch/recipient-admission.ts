// Which claimed messages may go now under a sender's per-recipient limits: the pair-rate gap
// (about one message per 6 s to the same user, reference/cloud-api.md §3) and the rolling-24 h
// unique-recipient cap. Pure: the caller reads what was sent before and where the count stands.
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import type { RecipientSend } from '../store/recipient-sends-repo.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A claimed message held back, and until when. */
export interface Deferral {
  id: number;
  nextAttemptAt: number;
  reason: string;
}

/** What the decision reads: earlier sends, open service windows and the 24 h count. */
export interface AdmissionInput {
  messages: ClaimedMessage[];
  known: Map<string, RecipientSend>;
  /** Recipients who wrote to the sender in the last 24 h: inside their service window, no quota. */
  windowOpen: Set<string>;
  counted: number;
  oldestCountedAt: number | null;
  /** When this process last admitted a phone not yet in `known` (0: never). */
  lastAdmittedAt: (phone: string) => number;
  nowMs: number;
  pairGapMs: number;
  dailyRecipientLimit: number;
}

/** The messages that may go, those that wait, and how many new recipients the sendable ones count. */
export interface Admission {
  sendable: ClaimedMessage[];
  deferred: Deferral[];
  newlyCounted: string[];
}

/** Splits claimed messages into those that may go now and those that must wait (pair gap, daily cap). */
export function decideAdmission(input: AdmissionInput): Admission {
  const { nowMs, pairGapMs, dailyRecipientLimit } = input;
  const sendable: ClaimedMessage[] = [];
  const deferred: Deferral[] = [];
  const newlyCounted: string[] = [];
  const seen = new Set<string>();
  for (const message of input.messages) {
    const record = input.known.get(message.phone);
    const lastSentAt = Math.max(record?.lastSentAt ?? 0, input.lastAdmittedAt(message.phone));
    const nextByPair = lastSentAt > 0 ? lastSentAt + pairGapMs : 0;
    if (nextByPair > nowMs || seen.has(message.phone)) {
      deferred.push({
        id: message.id,
        nextAttemptAt: nextByPair > nowMs ? nextByPair : nowMs + pairGapMs,
        reason: 'pair rate: waiting between messages to this recipient',
      });
      continue;
    }
    const isCounted =
      input.windowOpen.has(message.phone) || (record !== undefined && record.windowStartedAt > nowMs - DAY_MS);
    if (!isCounted && input.counted + newlyCounted.length >= dailyRecipientLimit) {
      const freeAt = (input.oldestCountedAt ?? nowMs) + DAY_MS;
      deferred.push({
        id: message.id,
        nextAttemptAt: Math.max(freeAt, nowMs + 1_000),
        reason: `daily limit: ${dailyRecipientLimit} unique recipients per 24 h reached`,
      });
      continue;
    }
    if (!isCounted) newlyCounted.push(message.phone);
    seen.add(message.phone);
    sendable.push(message);
  }
  return { sendable, deferred, newlyCounted };
}
