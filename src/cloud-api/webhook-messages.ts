// Parses the `value` of a `messages` change: statuses, inbound messages and system errors
// (reference/cloud-api.md §4; SPEC StatusMessageValue, IncomingMessageValueGeneral).
import type { InboundMessageEvent, StatusEvent, WebhookEvent } from './webhook-events.ts';
import { arr, isObject, type Json, readErrors, secondsToMs, str } from './webhook-read.ts';
import { WIRE_STATUS_KINDS, type WireStatusKind } from './wire-webhook.ts';

const STATUS_KINDS: ReadonlySet<string> = new Set(WIRE_STATUS_KINDS);

/** Appends the events of one `messages` value to `out`. */
export function readMessagesValue(wabaId: string, value: Json, out: WebhookEvent[]): void {
  const metadata = value.metadata;
  const phoneNumberId = isObject(metadata) ? str(metadata.phone_number_id) : null;
  for (const s of arr(value.statuses)) out.push(readStatus(wabaId, phoneNumberId, s));
  const messages = arr(value.messages);
  if (messages.length > 0) {
    const names = profileNames(value.contacts);
    for (const m of messages) out.push(readInbound(wabaId, phoneNumberId, m, names));
  }
  const errors = readErrors(value.errors);
  if (errors.length > 0) out.push({ kind: 'system_error', wabaId, phoneNumberId, errors, raw: value.errors });
}

function readStatus(wabaId: string, phoneNumberId: string | null, raw: unknown): StatusEvent | WebhookEvent {
  if (!isObject(raw)) return { kind: 'unknown', field: 'messages', raw };
  const wamid = str(raw.id);
  const status = raw.status;
  const timestampMs = secondsToMs(raw.timestamp);
  if (wamid === null || typeof status !== 'string' || !STATUS_KINDS.has(status) || timestampMs === null) {
    return { kind: 'unknown', field: 'messages', raw };
  }
  return {
    kind: 'status',
    wabaId,
    phoneNumberId,
    wamid,
    status: status as WireStatusKind,
    timestampMs,
    recipientId: str(raw.recipient_id) ?? str(raw.recipient_participant_id),
    callbackData: typeof raw.biz_opaque_callback_data === 'string' ? raw.biz_opaque_callback_data : null,
    errors: readErrors(raw.errors),
    pricing: isObject(raw.pricing) ? raw.pricing : null,
    conversation: isObject(raw.conversation) ? raw.conversation : null,
    raw,
  };
}

function readInbound(
  wabaId: string,
  phoneNumberId: string | null,
  raw: unknown,
  names: Map<string, string> | null,
): InboundMessageEvent | WebhookEvent {
  if (!isObject(raw)) return { kind: 'unknown', field: 'messages', raw };
  const wamid = str(raw.id);
  const from = str(raw.from);
  const timestampMs = secondsToMs(raw.timestamp);
  const type = str(raw.type);
  if (wamid === null || from === null || timestampMs === null || type === null) {
    return { kind: 'unknown', field: 'messages', raw };
  }
  const reply = readReply(type, raw);
  const context = raw.context;
  return {
    kind: 'message',
    wabaId,
    phoneNumberId,
    wamid,
    from,
    timestampMs,
    type,
    interactiveType: reply.interactiveType,
    profileName: names?.get(from) ?? null,
    text: reply.text,
    payload: reply.payload,
    contextWamid: isObject(context) ? str(context.id) : null,
    errors: readErrors(raw.errors),
    raw,
  };
}

interface Reply {
  interactiveType: string | null;
  text: string | null;
  payload: string | null;
}

/** The text and payload of the inbound kinds Chorus acts on (opt-out keywords and buttons). */
function readReply(type: string, raw: Json): Reply {
  const body = raw[type];
  if (!isObject(body)) return { interactiveType: null, text: null, payload: null };
  if (type === 'text') return { interactiveType: null, text: str(body.body), payload: null };
  if (type === 'button') return { interactiveType: null, text: str(body.text), payload: str(body.payload) };
  if (type !== 'interactive') return { interactiveType: null, text: str(body.caption), payload: null };
  const interactiveType = str(body.type);
  const picked = interactiveType === null ? undefined : body[interactiveType];
  if (!isObject(picked)) return { interactiveType, text: null, payload: null };
  return { interactiveType, text: str(picked.title), payload: str(picked.id) };
}

function profileNames(contacts: unknown): Map<string, string> | null {
  const list = arr(contacts);
  if (list.length === 0) return null;
  const names = new Map<string, string>();
  for (const c of list) {
    if (!isObject(c)) continue;
    const waId = str(c.wa_id);
    const profile = c.profile;
    const name = isObject(profile) ? str(profile.name) : null;
    if (waId !== null && name !== null) names.set(waId, name);
  }
  return names;
}
