// Turns Meta's webhook POST body into typed events (reference/cloud-api.md §4). Never throws on a
// well-formed envelope: odd items become `{kind:'unknown'}`; only a malformed top level throws.
import type { WebhookEvent } from './webhook-events.ts';
import { FIELD_READERS } from './webhook-fields.ts';
import { readMessagesValue } from './webhook-messages.ts';
import { arr, isObject, secondsToMs, str } from './webhook-read.ts';

/** The body is not a WhatsApp Business Account webhook; answer 400, change nothing. */
export class WebhookPayloadError extends Error {
  override name = 'WebhookPayloadError';
}

/** Parses the raw POST body (after the signature check) into events. */
export function parseWebhookBody(rawBody: string | Uint8Array): WebhookEvent[] {
  const text = typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (thrown) {
    throw new WebhookPayloadError(`webhook body is not JSON: ${(thrown as Error).message}`);
  }
  // JSON text can hold a NUL only as the escape \u0000 (a raw one fails to parse): a body without
  // that escape needs no walk through every string it decoded to.
  return parseWebhookPayload(json, { mayHoldNul: text.includes('\\u0000') });
}

/** Parses an already-decoded webhook envelope into events, in payload order. */
export function parseWebhookPayload(payload: unknown, options = { mayHoldNul: true }): WebhookEvent[] {
  if (!isObject(payload)) throw new WebhookPayloadError('webhook body is not a JSON object');
  if (payload.object !== 'whatsapp_business_account') {
    throw new WebhookPayloadError(`webhook object is ${JSON.stringify(payload.object)}, not whatsapp_business_account`);
  }
  if (!Array.isArray(payload.entry)) throw new WebhookPayloadError('webhook entry is not an array');
  // Meta never sends a NUL, and PostgreSQL can store none: such a body is refused whole.
  if (options.mayHoldNul && holdsNul(payload.entry))
    throw new WebhookPayloadError('webhook body holds a NUL character');
  const out: WebhookEvent[] = [];
  for (const entry of payload.entry) readEntry(entry, out);
  return out;
}

/** True when any string or key in the value holds U+0000. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (typeof value !== 'object' || value === null) return false;
  for (const [key, inner] of Object.entries(value)) if (key.includes('\0') || holdsNul(inner)) return true;
  return false;
}

function readEntry(entry: unknown, out: WebhookEvent[]): void {
  if (!isObject(entry) || !Array.isArray(entry.changes)) {
    out.push({ kind: 'unknown', field: '', raw: entry });
    return;
  }
  const wabaId = str(entry.id) ?? '';
  const timeMs = secondsToMs(entry.time);
  for (const change of arr(entry.changes)) readChange(wabaId, timeMs, change, out);
}

function readChange(wabaId: string, timeMs: number | null, change: unknown, out: WebhookEvent[]): void {
  const field = isObject(change) ? str(change.field) : null;
  const value = isObject(change) ? change.value : undefined;
  if (field === null || !isObject(value)) {
    out.push({ kind: 'unknown', field: field ?? '', raw: change });
    return;
  }
  if (field === 'messages') {
    const before = out.length;
    readMessagesValue(wabaId, value, out);
    if (out.length === before) out.push({ kind: 'unknown', field, raw: value });
    return;
  }
  const reader = FIELD_READERS.get(field);
  if (reader === undefined || !reader(wabaId, value, timeMs, out)) out.push({ kind: 'unknown', field, raw: value });
}
