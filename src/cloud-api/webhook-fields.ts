// Parses the non-`messages` webhook fields: user preferences, template and account updates
// (reference/cloud-api.md §3–§6). Each reader returns null when the value lacks what it needs.
import type { WebhookEvent } from './webhook-events.ts';
import { arr, idString, isObject, type Json, secondsToMs, str } from './webhook-read.ts';

/** Reads one field's value; `timeMs` is `entry.time` in ms. Null → the caller emits `unknown`. */
type FieldReader = (wabaId: string, value: Json, timeMs: number | null, out: WebhookEvent[]) => boolean;

/** user_preferences: marketing stop/resume, one event per item (§6). */
const userPreferences: FieldReader = (wabaId, value, timeMs, out) => {
  const items = arr(value.user_preferences);
  if (items.length === 0) return false;
  for (const p of items) {
    const waId = isObject(p) ? str(p.wa_id) : null;
    const v = isObject(p) ? str(p.value) : null;
    if (!isObject(p) || waId === null || v === null) {
      out.push({ kind: 'unknown', field: 'user_preferences', raw: p });
      continue;
    }
    const category = str(p.category) ?? 'marketing_messages';
    const timestampMs = secondsToMs(p.timestamp) ?? timeMs;
    out.push({ kind: 'user_preference', wabaId, waId, category, value: v, detail: str(p.detail), timestampMs, raw: p });
  }
  return true;
};

function templateBase(wabaId: string, value: Json, timeMs: number | null) {
  const templateId = idString(value.message_template_id);
  if (templateId === null) return null;
  const name = str(value.message_template_name) ?? '';
  const language = str(value.message_template_language) ?? '';
  return { wabaId, templateId, name, language, timestampMs: timeMs, raw: value };
}

/** message_template_status_update (§4). */
const templateStatus: FieldReader = (wabaId, value, timeMs, out) => {
  const base = templateBase(wabaId, value, timeMs);
  const event = str(value.event);
  if (base === null || event === null) return false;
  const reason = str(value.reason);
  const category = str(value.message_template_category);
  out.push({ kind: 'template_status', ...base, event, reason, category });
  return true;
};

/** message_template_quality_update (§3). */
const templateQuality: FieldReader = (wabaId, value, timeMs, out) => {
  const base = templateBase(wabaId, value, timeMs);
  const newScore = str(value.new_quality_score);
  if (base === null || newScore === null) return false;
  out.push({ kind: 'template_quality', ...base, previousScore: str(value.previous_quality_score), newScore });
  return true;
};

/** template_category_update (§5). */
const templateCategory: FieldReader = (wabaId, value, timeMs, out) => {
  const base = templateBase(wabaId, value, timeMs);
  const newCategory = str(value.new_category);
  if (base === null || newCategory === null) return false;
  out.push({ kind: 'template_category', ...base, previousCategory: str(value.previous_category), newCategory });
  return true;
};

/** phone_number_quality_update: quality, messaging-limit tier and THROUGHPUT_UPGRADE (§3). */
const phoneQuality: FieldReader = (wabaId, value, timeMs, out) => {
  const event = str(value.event);
  if (event === null) return false;
  out.push({
    kind: 'phone_quality',
    wabaId,
    displayPhoneNumber: str(value.display_phone_number),
    event,
    currentLimit: str(value.current_limit),
    oldLimit: str(value.old_limit),
    timestampMs: timeMs,
    raw: value,
  });
  return true;
};

/** business_capability_update: portfolio messaging-limit raises (§3). */
const businessCapability: FieldReader = (wabaId, value, timeMs, out) => {
  const max = value.max_daily_conversations_per_business ?? value.max_daily_conversation_per_phone;
  const limit = typeof max === 'number' || typeof max === 'string' ? max : null;
  out.push({
    kind: 'business_capability',
    wabaId,
    maxDailyConversationsPerBusiness: limit,
    timestampMs: timeMs,
    raw: value,
  });
  return true;
};

/** account_alerts (§3). */
const accountAlert: FieldReader = (wabaId, value, timeMs, out) => {
  const info = isObject(value.alert_info) ? value.alert_info : {};
  out.push({
    kind: 'account_alert',
    wabaId,
    alertType: str(info.alert_type),
    severity: str(info.alert_severity),
    status: str(info.alert_status),
    description: str(info.alert_description),
    timestampMs: timeMs,
    raw: value,
  });
  return true;
};

/** account_update (§4). */
const accountUpdate: FieldReader = (wabaId, value, timeMs, out) => {
  out.push({ kind: 'account_update', wabaId, event: str(value.event), timestampMs: timeMs, raw: value });
  return true;
};

/** The readers of every non-`messages` field Chorus understands. */
export const FIELD_READERS: ReadonlyMap<string, FieldReader> = new Map([
  ['user_preferences', userPreferences],
  ['message_template_status_update', templateStatus],
  ['message_template_quality_update', templateQuality],
  ['template_category_update', templateCategory],
  ['phone_number_quality_update', phoneQuality],
  ['business_capability_update', businessCapability],
  ['account_alerts', accountAlert],
  ['account_update', accountUpdate],
]);
