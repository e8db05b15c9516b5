// What a claimed message becomes on its way out: held for its recipient's send window or not,
// the request to the provider, and the outcome to record when a provider throws instead of
// answering (the request may have left, so the outcome is unknown).
import type { OutboundMessage, RenderedTemplate, SendOutcome } from '../domain/outbound-message.ts';
import { FALLBACK_TIME_ZONE, nextAllowedAt, type SendWindow } from '../domain/send-window.ts';
import type { ClaimedMessage } from '../store/outbox-repo.ts';
import type { Deferral } from './sender-limits.ts';

/** Messages inside their recipient's send window now, and the rest with when their window opens. */
export function splitBySendWindow(
  messages: ClaimedMessage[],
  window: SendWindow | null,
  now: number,
): { inside: ClaimedMessage[]; outside: Deferral[] } {
  if (!window) return { inside: messages, outside: [] };
  const inside: ClaimedMessage[] = [];
  const outside: Deferral[] = [];
  for (const message of messages) {
    const opensAt = nextAllowedAt(now, window, message.timeZone ?? FALLBACK_TIME_ZONE);
    if (opensAt <= now) inside.push(message);
    else outside.push({ id: message.id, nextAttemptAt: opensAt, reason: 'waiting for the send window' });
  }
  return { inside, outside };
}

/** The provider's request for a claimed message; its id rides along as the callback data. */
export function toOutbound(message: ClaimedMessage): OutboundMessage {
  return {
    to: message.phone,
    callbackData: String(message.id),
    template: JSON.parse(message.rendered) as RenderedTemplate,
  };
}

/** The outcome of a send whose provider threw: it may have left, so it is unknown. */
export function unknownOutcome(details: string): SendOutcome {
  return {
    ok: false,
    error: {
      errorClass: 'unknown_outcome',
      code: null,
      subcode: null,
      title: 'provider error',
      details,
      fbtraceId: null,
      httpStatus: null,
    },
  };
}
