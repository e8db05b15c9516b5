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

/** One status update of a seeded message in a webhook body, from business number `phoneNumberId` (default p1). */
export interface StatusUpdate {
  messageId: number;
  kind: WireStatusKind;
  at: number;
  phoneNumberId?: string;
  errorCode?: number;
}

/** A webhook body as Meta posts it, one entry per business number, for seeded messages (tests only). */
export function statusBody(updates: readonly StatusUpdate[]): Uint8Array {
  const byNumber = new Map<string, StatusUpdate[]>();
  for (const u of updates) {
    const number = u.phoneNumberId ?? 'p1';
    byNumber.set(number, [...(byNumber.get(number) ?? []), u]);
  }
  const entry = [...byNumber].map(([phoneNumberId, statuses]) => ({
    id: 'w1',
    changes: [
      {
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId },
          statuses: statuses.map((u) => ({
            id: `wamid.m${u.messageId}`,
            status: u.kind,
            timestamp: String(Math.floor(u.at / 1000)),
            recipient_id: '4915112345678',
            biz_opaque_callback_data: String(u.messageId),
            ...(u.errorCode ? { errors: [{ code: u.errorCode, title: 'Message undeliverable' }] } : {}),
          })),
        },
      },
    ],
  }));
  return new TextEncoder().encode(JSON.stringify({ object: 'whatsapp_business_account', entry }));
}
