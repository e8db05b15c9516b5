// Builds Meta's webhook envelope from the simulator's events (reference/cloud-api.md §4, §6).
import type {
  WireContact,
  WireInboundMessage,
  WireStatus,
  WireTemplateStatusValue,
  WireUserPreferencesValue,
  WireWebhookChange,
  WireWebhookEnvelope,
} from '../cloud-api/payloads.ts';
import type { SimTemplate, SimTemplateStatus } from './types.ts';

/** One update the simulator reports by webhook. */
export type SimEvent =
  | { kind: 'status'; status: WireStatus }
  | { kind: 'inbound'; message: WireInboundMessage; contact: WireContact }
  | { kind: 'template'; value: WireTemplateStatusValue }
  | { kind: 'preference'; value: WireUserPreferencesValue };

/** Who the webhooks are about: the WABA and its phone number. */
export interface WebhookIdentity {
  businessAccountId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/**
 * One envelope for a batch: statuses share one `messages` change (Meta batches up to 1,000 updates,
 * §4), each inbound message gets its own change with its contact, and the other fields go in a
 * second entry that carries `time`, as Meta's non-`messages` webhooks do.
 */
export function buildEnvelope(events: readonly SimEvent[], who: WebhookIdentity, nowSec: number): WireWebhookEnvelope {
  const metadata = { display_phone_number: who.displayPhoneNumber, phone_number_id: who.phoneNumberId };
  const statuses: WireStatus[] = [];
  const messageChanges: WireWebhookChange[] = [];
  const otherChanges: WireWebhookChange[] = [];
  for (const event of events) {
    if (event.kind === 'status') statuses.push(event.status);
    else if (event.kind === 'inbound') {
      messageChanges.push({
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata, contacts: [event.contact], messages: [event.message] },
      });
    } else if (event.kind === 'template')
      otherChanges.push({ field: 'message_template_status_update', value: event.value });
    else otherChanges.push({ field: 'user_preferences', value: { ...event.value, metadata } });
  }
  if (statuses.length > 0) {
    messageChanges.unshift({ field: 'messages', value: { messaging_product: 'whatsapp', metadata, statuses } });
  }
  const entry: WireWebhookEnvelope['entry'] = [];
  if (messageChanges.length > 0) entry.push({ id: who.businessAccountId, changes: messageChanges });
  if (otherChanges.length > 0) entry.push({ id: who.businessAccountId, time: nowSec, changes: otherChanges });
  return { object: 'whatsapp_business_account', entry };
}

/**
 * The value of a message_template_status_update (§4): a pause carries other_info FIRST_PAUSE, the
 * approval that ends a pause carries UNPAUSE, a disable carries disable_info.
 */
export function templateStatusValue(
  template: SimTemplate & { id: string },
  reason: string,
  previous: SimTemplateStatus,
  nowMs: number,
): WireTemplateStatusValue {
  const value: WireTemplateStatusValue = {
    event: template.status,
    message_template_id: Number(template.id),
    message_template_name: template.name,
    message_template_language: template.language,
    reason,
    message_template_category: template.category,
  };
  if (template.status === 'PAUSED')
    value.other_info = { title: 'FIRST_PAUSE', description: 'Paused for low quality (simulated).' };
  else if (template.status === 'APPROVED' && previous === 'PAUSED')
    value.other_info = { title: 'UNPAUSE', description: 'Reinstated.' };
  if (template.status === 'DISABLED') value.disable_info = { disable_date: new Date(nowMs).toISOString() };
  return value;
}
