import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { eventBody, type OutboundEvent, type OutboundEventType } from '../domain/outbound-events.ts';
import type { DB } from '../store/schema.ts';
import type { AppliedStatus } from '../store/status-event.ts';
import { insertDeliveries, type NewDelivery } from '../store/webhook-deliveries-repo.ts';
import { listWebhookSubscriptions } from '../store/webhook-subscriptions-repo.ts';
import type { InboundReceived } from './record-inbound.ts';

/**
 * Puts events in the delivery outbox for every subscription that wants them, inside the caller's
 * transaction: an event is stored exactly when the change it tells of is. With no subscription
 * this costs one read of a tiny table and writes nothing.
 */
export async function enqueueOutboundEvents(
  trx: Kysely<DB>,
  events: readonly OutboundEvent[],
  now: number,
  newId: () => string = randomUUID,
): Promise<void> {
  if (events.length === 0) return;
  const subscriptions = await listWebhookSubscriptions(trx);
  if (subscriptions.length === 0) return;
  const wanted = subscriptions.map((s) => ({ id: s.id, types: new Set(JSON.parse(s.events) as OutboundEventType[]) }));
  const deliveries: NewDelivery[] = [];
  for (const event of events) {
    const subscribers = wanted.filter((s) => s.types.has(event.type));
    if (subscribers.length === 0) continue;
    const eventId = newId();
    const body = eventBody(event, eventId, now);
    for (const s of subscribers) deliveries.push({ subscriptionId: s.id, eventId, type: event.type, body });
  }
  await insertDeliveries(trx, deliveries, now);
}

/** The message.status event of a status a webhook moved a message to. */
export function statusEvent(applied: AppliedStatus): OutboundEvent {
  return {
    type: 'message.status',
    data: {
      campaign_id: String(applied.campaignId),
      message_id: String(applied.messageId),
      phone: applied.phone,
      status: applied.status,
      wamid: applied.wamid,
      ...(applied.status === 'failed' && applied.errorCode !== null ? { error_code: applied.errorCode } : {}),
    },
  };
}

/** The message.reply event of a message someone sent us. */
export function replyEvent(received: InboundReceived): OutboundEvent {
  return {
    type: 'message.reply',
    data: {
      campaign_id: received.campaignId === null ? null : String(received.campaignId),
      phone: received.phone,
      wamid: received.wamid,
      type: received.type,
      text: received.text,
    },
  };
}
