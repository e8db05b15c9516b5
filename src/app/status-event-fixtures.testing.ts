import type { StatusEvent } from '../cloud-api/webhook-events.ts';
import type { WireStatusKind } from '../cloud-api/wire-webhook.ts';

/**
 * A status webhook event for seeded message `messageId` (wamid `wamid.m<id>`, its id as callback
 * data), failed with `errorCode` if given (tests only).
 */
export const statusEvent = (messageId: number, kind: WireStatusKind, at: number, errorCode?: number): StatusEvent => ({
  kind: 'status',
  wabaId: 'w1',
  phoneNumberId: 'p1',
  wamid: `wamid.m${messageId}`,
  status: kind,
  timestampMs: at,
  recipientId: null,
  callbackData: String(messageId),
  errors: errorCode
    ? [
        {
          code: errorCode,
          errorClass: 'recipient_permanent',
          title: 'Message undeliverable',
          message: null,
          details: null,
        },
      ]
    : [],
  pricing: null,
  conversation: null,
  raw: {},
});
