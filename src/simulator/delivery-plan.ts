// Plans the status webhooks of one accepted message: sent → delivered → read, or failed, with the
// disorder Meta warns about (reference/cloud-api.md §4): read without delivered, out of order,
// duplicates, late arrivals.
import type { WireConversation, WirePricing, WireStatus } from '../cloud-api/payloads.ts';
import { describeCode } from './graph-errors.ts';
import type { Rng } from './rng.ts';
import type { SimBehaviour } from './types.ts';

/** What the plan needs to know about an accepted message. */
export interface AcceptedSend {
  wamid: string;
  waId: string;
  callbackData: string | undefined;
  acceptedAtMs: number;
  /** `marketing`, `utility`, `authentication` or `service` (free-form). */
  category: string;
  isInServiceWindow: boolean;
  /** `conversation` is omitted from v24.0 on (§4). */
  hasConversation: boolean;
  /** A code the message fails with asynchronously, if any. */
  failureCode: number | undefined;
}

/** One planned webhook: when to post it and what it says. */
export interface PlannedStatus {
  emitAtMs: number;
  status: WireStatus;
}

const ERROR_HREF = '/docs/whatsapp/cloud-api/support/error-codes/';

/** The statuses of one message, each with its emission time. */
export function planStatuses(send: AcceptedSend, b: SimBehaviour, rng: Rng): PlannedStatus[] {
  if (send.failureCode !== undefined) return [failed(send, b)];
  const isRead = rng.chance(b.readRate);
  const skipsDelivered = isRead && rng.chance(b.readWithoutDeliveredRate);
  const billing = billingOf(send);
  const plan: PlannedStatus[] = [at(send, 'sent', b.sentDelayMs, billing)];
  if (!skipsDelivered) plan.push(at(send, 'delivered', Math.max(b.deliveredDelayMs, b.sentDelayMs), billing));
  if (isRead) plan.push(at(send, 'read', Math.max(b.readDelayMs, b.deliveredDelayMs, b.sentDelayMs), {}));
  addDisorder(plan, b, rng);
  return plan;
}

function addDisorder(plan: PlannedStatus[], b: SimBehaviour, rng: Rng): void {
  if (plan.length > 1 && rng.chance(b.outOfOrderRate)) {
    const i = rng.int(plan.length - 1);
    const [first, second] = [plan[i] as PlannedStatus, plan[i + 1] as PlannedStatus];
    // The later event is posted first; timestamps still tell the true order.
    [first.emitAtMs, second.emitAtMs] = [second.emitAtMs + 1, first.emitAtMs];
  }
  if (rng.chance(b.delayedRate)) (plan[rng.int(plan.length)] as PlannedStatus).emitAtMs += b.delayedExtraMs;
  if (rng.chance(b.duplicateRate)) {
    const copy = plan[rng.int(plan.length)] as PlannedStatus;
    plan.push({ emitAtMs: copy.emitAtMs + b.webhookFlushIntervalMs * 2, status: copy.status });
  }
}

function at(
  send: AcceptedSend,
  status: 'sent' | 'delivered' | 'read',
  delayMs: number,
  billing: Billing,
): PlannedStatus {
  const emitAtMs = send.acceptedAtMs + delayMs;
  const out: WireStatus = {
    id: send.wamid,
    status,
    timestamp: String(Math.floor(emitAtMs / 1000)),
    recipient_id: send.waId,
  };
  if (send.callbackData !== undefined) out.biz_opaque_callback_data = send.callbackData;
  if (billing.conversation) out.conversation = billing.conversation;
  if (billing.pricing) out.pricing = billing.pricing;
  return { emitAtMs, status: out };
}

function failed(send: AcceptedSend, b: SimBehaviour): PlannedStatus {
  const code = send.failureCode as number;
  const { title, details } = describeCode(code);
  const emitAtMs = send.acceptedAtMs + b.sentDelayMs;
  const status: WireStatus = {
    id: send.wamid,
    status: 'failed',
    timestamp: String(Math.floor(emitAtMs / 1000)),
    recipient_id: send.waId,
    errors: [{ code, title, message: title, error_data: { details }, href: ERROR_HREF }],
  };
  if (send.callbackData !== undefined) status.biz_opaque_callback_data = send.callbackData;
  return { emitAtMs, status };
}

interface Billing {
  pricing?: WirePricing;
  conversation?: WireConversation;
}

// §6: per-message pricing; service messages and utility templates inside an open window are free.
function billingOf(send: AcceptedSend): Billing {
  const isFree = send.isInServiceWindow && (send.category === 'service' || send.category === 'utility');
  const type = isFree ? 'free_customer_service' : 'regular';
  const billing: Billing = { pricing: { billable: !isFree, pricing_model: 'PMP', type, category: send.category } };
  if (send.hasConversation) {
    billing.conversation = {
      id: send.wamid.slice(-32),
      expiration_timestamp: String(Math.floor(send.acceptedAtMs / 1000) + 24 * 3600),
      origin: { type: send.category },
    };
  }
  return billing;
}
