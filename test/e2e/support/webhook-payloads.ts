// Meta-shaped webhook bodies for tests that post them by hand (reference/cloud-api.md §4), and a
// poster that signs them the way Meta does.
import { signWebhookBody } from '../../../src/cloud-api/webhook-signature.ts';
import { E2E_IDS } from './processes.ts';

/** One status item as Meta sends it. */
export interface StatusItem {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  errors?: { code: number; title: string; message: string; error_data: { details: string } }[];
}

/** A status item; `atSec` is its Unix-seconds timestamp. */
export function status(
  wamid: string,
  kind: StatusItem['status'],
  phone: string,
  atSec: number,
  extra: Partial<StatusItem> = {},
): StatusItem {
  return { id: wamid, status: kind, timestamp: String(atSec), recipient_id: phone.replace(/\D/g, ''), ...extra };
}

/** The `errors` of a failed status. */
export function failure(code: number, title: string): Pick<StatusItem, 'errors'> {
  return { errors: [{ code, title, message: title, error_data: { details: `${title} (details)` } }] };
}

/** A whole envelope carrying these statuses, one change per group (Meta batches several). */
export function statusEnvelope(...groups: StatusItem[][]): object {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: E2E_IDS.businessAccountId,
        changes: groups.map((statuses) => ({
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '15550001111', phone_number_id: E2E_IDS.phoneNumberId },
            statuses,
          },
        })),
      },
    ],
  };
}

/** Posts a body to /webhooks/whatsapp; signed with `appSecret` unless `signature` says otherwise. */
export async function postWebhook(
  chorusUrl: string,
  body: object | string,
  options: { appSecret?: string; signature?: string | null } = {},
): Promise<number> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const signature =
    options.signature === undefined ? signWebhookBody(raw, options.appSecret ?? E2E_IDS.appSecret) : options.signature;
  const response = await fetch(`${chorusUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
    },
    body: raw,
  });
  await response.arrayBuffer();
  return response.status;
}
