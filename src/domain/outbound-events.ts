/** The events an integrator can subscribe to. */
export const OUTBOUND_EVENT_TYPES = ['message.status', 'message.reply', 'contact.opted_out'] as const;

/** One of OUTBOUND_EVENT_TYPES. */
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

/** What one event carries, by type (CONTRACT.md, Outbound webhooks). */
export interface OutboundEventData {
  'message.status': {
    campaign_id: string;
    message_id: string;
    phone: string;
    status: string;
    wamid: string;
    error_code?: number;
  };
  'message.reply': {
    campaign_id: string | null;
    phone: string;
    wamid: string;
    type: string;
    text: string | null;
  };
  'contact.opted_out': {
    phone: string;
    purpose: 'marketing' | 'utility' | null;
    source: string;
  };
}

/** An event to deliver, before it is given its id and time. */
export type OutboundEvent = {
  [T in OutboundEventType]: { type: T; data: OutboundEventData[T] };
}[OutboundEventType];

/** The body every delivery POSTs: `{"id","type","created_at","data"}`. */
export function eventBody(event: OutboundEvent, id: string, createdAtMs: number): string {
  return JSON.stringify({ id, type: event.type, created_at: new Date(createdAtMs).toISOString(), data: event.data });
}

/** Attempts a delivery gets before it is marked dead (about 1 day 11 hours of backoff in all). */
export const MAX_DELIVERY_ATTEMPTS = 12;

/**
 * How long to wait before attempt `attempt + 1`: doubling from 10 s, capped at 6 hours, with up to
 * a quarter of random spread (`jitter` in [0, 1)) so a receiver coming back is not hit all at once.
 */
export function deliveryBackoffMs(attempt: number, jitter: number): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 6 * 60 * 60 * 1000);
  return Math.round(base * (1 + jitter / 4));
}
