// Wire types of Meta's webhook POSTs (reference/cloud-api.md §4, §6; SPEC WebhookPayload).
// Types only: the parser reads these by hand for speed; the simulator builds them.

/** `value.metadata` of a `messages` change. */
export interface WireMetadata {
  display_phone_number: string;
  phone_number_id: string;
}

/** One error of a failed status or of `value.errors` (SPEC StatusError). */
export interface WireWebhookError {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

/** `pricing` on a status; `type` is absent from SPEC but in Meta's docs (§4). */
export interface WirePricing {
  billable?: boolean;
  pricing_model?: 'PMP' | 'CBP' | (string & {});
  type?: 'regular' | 'free_customer_service' | 'free_entry_point' | (string & {});
  category?: string;
}

/** `conversation` on a status; omitted from v24.0 except free-entry-point windows (§4). */
export interface WireConversation {
  id?: string;
  expiration_timestamp?: string;
  origin?: { type?: string };
}

/** The status kinds Cloud API sends (§4; SPEC lacks `played`). */
export const WIRE_STATUS_KINDS = ['sent', 'delivered', 'read', 'failed', 'played'] as const;

/** One of WIRE_STATUS_KINDS. */
export type WireStatusKind = (typeof WIRE_STATUS_KINDS)[number];

/** One entry of `value.statuses`; `timestamp` is Unix seconds as a string (§4). */
export interface WireStatus {
  id: string;
  status: WireStatusKind;
  timestamp: string;
  recipient_id: string;
  recipient_type?: 'individual' | 'group';
  recipient_participant_id?: string;
  biz_opaque_callback_data?: string;
  conversation?: WireConversation;
  pricing?: WirePricing;
  errors?: WireWebhookError[];
}

/** `value.contacts[]` of an inbound message. */
export interface WireContact {
  profile?: { name?: string };
  wa_id: string;
}

/** `context` of an inbound reply: `id` is the wamid of our message (§4). */
export interface WireInboundContext {
  from?: string;
  id?: string;
}

/** Fields every inbound message shares. */
interface WireInboundBase {
  from: string;
  id: string;
  timestamp: string;
  context?: WireInboundContext;
}

/** An inbound message; the kinds Chorus reads are typed, the rest kept as they come. */
export type WireInboundMessage =
  | (WireInboundBase & { type: 'text'; text: { body: string } })
  | (WireInboundBase & { type: 'button'; button: { payload?: string; text?: string } })
  | (WireInboundBase & {
      type: 'interactive';
      interactive:
        | { type: 'button_reply'; button_reply: { id: string; title: string } }
        | { type: 'list_reply'; list_reply: { id: string; title: string; description?: string } };
    })
  | (WireInboundBase & { type: 'reaction'; reaction: { message_id: string; emoji?: string } })
  | (WireInboundBase & { type: 'system'; system: { body?: string; type?: string; wa_id?: string; new_wa_id?: string } })
  | (WireInboundBase & { type: 'unsupported'; errors?: WireWebhookError[] })
  | (WireInboundBase & { type: string; [key: string]: unknown });

/** `value` of a `messages` change: statuses, inbound messages, or system errors. */
export interface WireMessagesValue {
  messaging_product: 'whatsapp';
  metadata: WireMetadata;
  contacts?: WireContact[];
  messages?: WireInboundMessage[];
  statuses?: WireStatus[];
  errors?: WireWebhookError[];
}

/** One marketing stop/resume preference change (§6). */
export interface WireUserPreference {
  wa_id: string;
  detail?: string;
  category: 'marketing_messages' | (string & {});
  value: 'stop' | 'resume' | (string & {});
  timestamp: number | string;
}

/** `value` of a `user_preferences` change (§6). */
export interface WireUserPreferencesValue {
  messaging_product?: 'whatsapp';
  metadata?: WireMetadata;
  contacts?: WireContact[];
  user_preferences: WireUserPreference[];
}

/** Template status events (§4). */
export const WIRE_TEMPLATE_EVENTS = [
  'APPROVED',
  'PENDING',
  'REJECTED',
  'PAUSED',
  'DISABLED',
  'FLAGGED',
  'REINSTATED',
  'IN_APPEAL',
  'ARCHIVED',
  'UNARCHIVED',
  'DELETED',
  'PENDING_DELETION',
  'LIMIT_EXCEEDED',
  'LOCKED',
] as const;

/** `value` of a `message_template_status_update` change (§4). */
export interface WireTemplateStatusValue {
  event: (typeof WIRE_TEMPLATE_EVENTS)[number] | (string & {});
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  reason?: string | null;
  message_template_category?: string;
  disable_info?: { disable_date?: string };
  other_info?: { title?: string; description?: string };
  rejection_info?: { reason?: string; recommendation?: string };
}

/** Template quality score (§3). */
export type WireQualityScore = 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN' | (string & {});

/** `value` of a `message_template_quality_update` change (§3). */
export interface WireTemplateQualityValue {
  previous_quality_score: WireQualityScore;
  new_quality_score: WireQualityScore;
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
}

/** `value` of a `template_category_update` change (Meta may recategorise, §5). */
export interface WireTemplateCategoryValue {
  message_template_id: number;
  message_template_name: string;
  message_template_language: string;
  previous_category?: string;
  new_category: string;
  correct_category?: string;
}

/** `value` of a `phone_number_quality_update` change: tier, quality and throughput events (§3). */
export interface WirePhoneQualityValue {
  display_phone_number: string;
  event: string;
  current_limit?: string;
  old_limit?: string;
  max_daily_conversations_per_business?: string | number;
}

/** `value` of a `business_capability_update` change (messaging-limit raises, §3). */
export interface WireBusinessCapabilityValue {
  max_daily_conversation_per_phone?: number;
  max_daily_conversations_per_business?: number | string;
  max_phone_numbers_per_business?: number;
}

/** `value` of an `account_alerts` change (§3). */
export interface WireAccountAlertValue {
  entity_type?: string;
  entity_id?: string | number;
  alert_info?: { alert_severity?: string; alert_status?: string; alert_type?: string; alert_description?: string };
}

/** `value` of an `account_update` change (policy violations, verification, deletion; §4). */
export interface WireAccountUpdateValue {
  event: string;
  phone_number?: string;
  ban_info?: { waba_ban_state?: string; waba_ban_date?: string };
  violation_info?: { violation_type?: string };
}

/** The `value` type of each webhook field Chorus understands. */
export interface WireWebhookFieldValues {
  messages: WireMessagesValue;
  user_preferences: WireUserPreferencesValue;
  message_template_status_update: WireTemplateStatusValue;
  message_template_quality_update: WireTemplateQualityValue;
  template_category_update: WireTemplateCategoryValue;
  phone_number_quality_update: WirePhoneQualityValue;
  business_capability_update: WireBusinessCapabilityValue;
  account_alerts: WireAccountAlertValue;
  account_update: WireAccountUpdateValue;
}

/** A webhook field Chorus understands. */
export type WireWebhookField = keyof WireWebhookFieldValues;

/** One `changes[]` item: `{field, value}` typed by field. */
export type WireWebhookChange = {
  [F in WireWebhookField]: { field: F; value: WireWebhookFieldValues[F] };
}[WireWebhookField];

/** One `entry[]` item; `id` is the WABA id, `time` Unix seconds on non-`messages` fields (§4). */
export interface WireWebhookEntry {
  id: string;
  time?: number;
  changes: WireWebhookChange[];
}

/** The webhook POST body (§4). */
export interface WireWebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: WireWebhookEntry[];
}
