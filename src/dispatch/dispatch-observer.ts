// What the send loop tells the outside about itself: each answered send as it is decided (for
// counters), a look at its state on demand (for gauges), and debug lines that let one message id
// be followed from its claim to Meta's answer. Debug lines cost nothing when debug is off.
import type { Logger } from '../logger.ts';
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import type { SendResult } from '../store/send-results-repo.ts';
import type { SenderLimitsSnapshot } from './sender-limits.ts';

/** Hears every send attempt the loop decided on: the recorded result carries Meta's answer. */
export interface SendObserver {
  sendDecided(senderId: string, result: SendResult): void;
}

/** A send loop at one moment: requests in flight and its sender's limiter. */
export interface DispatchSnapshot {
  inFlight: number;
  limits: SenderLimitsSnapshot;
}

/** One debug line per claimed message (its id, campaign and attempt), only when debug is on. */
export function logClaimed(log: Logger, claimed: readonly ClaimedMessage[]): void {
  if (!log.isLevelEnabled('debug')) return;
  for (const m of claimed) log.debug({ campaignId: m.campaignId, messageId: m.id, attempt: m.attempts }, 'claimed');
}

/** One debug line for a send's answer and what was decided, only when debug is on. */
export function logAnswered(log: Logger, result: SendResult): void {
  if (!log.isLevelEnabled('debug')) return;
  const { attempt } = result;
  log.debug(
    {
      campaignId: result.campaignId,
      messageId: result.messageId,
      attempt: attempt.attempt,
      decision: result.kind,
      wamid: attempt.wamid ?? undefined,
      errorCode: attempt.error_code ?? undefined,
      errorClass: attempt.error_class ?? undefined,
      ms: attempt.finished_at - attempt.started_at,
    },
    'send answered',
  );
}
