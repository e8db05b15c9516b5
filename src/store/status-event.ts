// The status events the store records and what applying them changed: shared by the repository
// (status-events-repo.ts) and the batch planner it calls (status-changes.ts).
import type { DeliveryStatus } from '../domain/message-status.ts';

/** One status event from a webhook, ready to store. */
export interface StatusEventInput {
  wamid: string;
  status: DeliveryStatus;
  occurredAt: number;
  /** biz_opaque_callback_data: our message id, which matches the event when the wamid is not yet known. */
  callbackData: string | null;
  error: { code: number | null; title: string | null; details: string | null } | null;
  pricing: { model: string | null; category: string | null; billable: boolean | null } | null;
  /** Meta's status object as received, kept whole. */
  raw: unknown;
}

/** An event that changed a message, for side effects such as opt-outs on 131050. */
export interface AppliedStatus {
  messageId: number;
  campaignId: number;
  phone: string;
  wamid: string;
  status: DeliveryStatus;
  errorCode: number | null;
}
