// What webhook intake tells the outside: events as they arrive and as they are applied (for
// counters and the intake-lag histograms), and debug lines naming each status's wamid and our
// message id, so one message can be followed from its send to its delivery. Debug lines cost
// nothing when debug is off.
import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import type { Logger } from '../logger.ts';
import type { AppliedStatus, StatusEventInput } from '../store/status-events-repo.ts';

/** Events applied in one go: when each was received and when Meta says it happened. */
export interface AppliedSample {
  appliedAt: number;
  /** One entry per event applied; `occurredAt` is Meta's timestamp, null for events without one. */
  events: readonly { receivedAt: number; occurredAt: number | null }[];
  /** The statuses that moved a message forward. */
  changed: readonly AppliedStatus[];
}

/** Hears webhook events as they arrive and as they are applied. */
export interface IntakeObserver {
  received(events: readonly WebhookEvent[]): void;
  applied(sample: AppliedSample): void;
}

/** One debug line per status event received: its wamid, status and our message id. */
export function logStatusesReceived(log: Logger, statuses: readonly StatusEventInput[]): void {
  if (!log.isLevelEnabled('debug')) return;
  for (const s of statuses)
    log.debug({ wamid: s.wamid, messageId: messageIdOf(s.callbackData), status: s.status }, 'status received');
}

/** One debug line per message a status moved forward. */
export function logStatusesApplied(log: Logger, changed: readonly AppliedStatus[]): void {
  if (!log.isLevelEnabled('debug')) return;
  for (const a of changed)
    log.debug({ campaignId: a.campaignId, messageId: a.messageId, status: a.status }, 'status applied');
}

/** Our message id from biz_opaque_callback_data, when it is one. */
function messageIdOf(callbackData: string | null): number | undefined {
  const id = Number(callbackData);
  return callbackData !== null && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
