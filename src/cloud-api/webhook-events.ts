// The typed events the webhook parser yields (reference/cloud-api.md §4, §6). Every event keeps
// the original object as `raw`, so fields Chorus does not read yet are not lost.
import type { SendErrorClass } from '../domain/outbound-message.ts';
import type { WireConversation, WirePricing, WireStatusKind } from './wire-webhook.ts';

/** An error carried by a failed status, an unsupported message, or `value.errors`. */
export interface WebhookError {
  code: number | null;
  /** From the error catalogue; null when `code` is missing. */
  errorClass: SendErrorClass | null;
  title: string | null;
  message: string | null;
  details: string | null;
}

/** A delivery status of a message we sent. */
export interface StatusEvent {
  kind: 'status';
  wabaId: string;
  phoneNumberId: string | null;
  wamid: string;
  status: WireStatusKind;
  /** Meta's Unix-seconds string as milliseconds. */
  timestampMs: number;
  recipientId: string | null;
  /** Our `biz_opaque_callback_data`: the message id we sent with. */
  callbackData: string | null;
  errors: WebhookError[];
  pricing: WirePricing | null;
  /** Omitted by Meta from v24.0, except free-entry-point windows (§4). */
  conversation: WireConversation | null;
  raw: unknown;
}

/** A message a user sent us: text, a template quick-reply tap, an interactive reply, or another kind. */
export interface InboundMessageEvent {
  kind: 'message';
  wabaId: string;
  phoneNumberId: string | null;
  wamid: string;
  from: string;
  timestampMs: number;
  /** Meta's `type`: text, button, interactive, reaction, image, system, unsupported… */
  type: string;
  /** `button_reply` / `list_reply` for interactive replies, else null. */
  interactiveType: string | null;
  profileName: string | null;
  /** Text body, button text, or reply title. */
  text: string | null;
  /** Quick-reply payload or interactive reply id (e.g. an opt-out button's payload). */
  payload: string | null;
  /** The wamid of our message this replies to (`context.id`). */
  contextWamid: string | null;
  errors: WebhookError[];
  raw: unknown;
}

/** A user stopped or resumed marketing messages (§6). */
export interface UserPreferenceEvent {
  kind: 'user_preference';
  wabaId: string;
  waId: string;
  category: string;
  value: string;
  detail: string | null;
  timestampMs: number | null;
  raw: unknown;
}

/** Fields the template events share; ids arrive as numbers and are kept as strings. */
interface TemplateEventBase {
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  /** `entry.time` in ms, when Meta gives it. */
  timestampMs: number | null;
  raw: unknown;
}

/** A template was approved, rejected, paused, disabled… (§4). */
export interface TemplateStatusEvent extends TemplateEventBase {
  kind: 'template_status';
  event: string;
  reason: string | null;
  category: string | null;
}

/** A template's quality score changed (§3). */
export interface TemplateQualityEvent extends TemplateEventBase {
  kind: 'template_quality';
  previousScore: string | null;
  newScore: string;
}

/** Meta recategorised a template (§5). */
export interface TemplateCategoryEvent extends TemplateEventBase {
  kind: 'template_category';
  previousCategory: string | null;
  newCategory: string;
}

/** Phone-number quality, messaging-limit or throughput change (§3). */
export interface PhoneQualityEvent {
  kind: 'phone_quality';
  wabaId: string;
  displayPhoneNumber: string | null;
  /** E.g. UPGRADE, DOWNGRADE, FLAGGED, UNFLAGGED, THROUGHPUT_UPGRADE. */
  event: string;
  currentLimit: string | null;
  oldLimit: string | null;
  timestampMs: number | null;
  raw: unknown;
}

/** The business portfolio's capabilities changed (messaging-limit raise, v24+, §3). */
export interface BusinessCapabilityEvent {
  kind: 'business_capability';
  wabaId: string;
  maxDailyConversationsPerBusiness: number | string | null;
  timestampMs: number | null;
  raw: unknown;
}

/** An account alert (e.g. a limit-increase denial, §3). */
export interface AccountAlertEvent {
  kind: 'account_alert';
  wabaId: string;
  alertType: string | null;
  severity: string | null;
  status: string | null;
  description: string | null;
  timestampMs: number | null;
  raw: unknown;
}

/** An account update (policy violation, verification, deletion, §4). */
export interface AccountUpdateEvent {
  kind: 'account_update';
  wabaId: string;
  event: string | null;
  timestampMs: number | null;
  raw: unknown;
}

/** System-level errors of a `messages` change (`value.errors`, §4). */
export interface SystemErrorEvent {
  kind: 'system_error';
  wabaId: string;
  phoneNumberId: string | null;
  errors: WebhookError[];
  raw: unknown;
}

/** Anything the parser does not understand; the caller logs and ignores it. */
export interface UnknownEvent {
  kind: 'unknown';
  field: string;
  raw: unknown;
}

/** One event of a webhook POST. */
export type WebhookEvent =
  | StatusEvent
  | InboundMessageEvent
  | UserPreferenceEvent
  | TemplateStatusEvent
  | TemplateQualityEvent
  | TemplateCategoryEvent
  | PhoneQualityEvent
  | BusinessCapabilityEvent
  | AccountAlertEvent
  | AccountUpdateEvent
  | SystemErrorEvent
  | UnknownEvent;

/** The kinds of WebhookEvent. */
export type WebhookEventKind = WebhookEvent['kind'];
