// Wire types of the send endpoint, POST /{Phone-Number-ID}/messages (reference/cloud-api.md §1).
// Types and answer-parsing schemas only: the simulator imports these, never client logic.
import { z } from 'zod';

/** Echo of a message we reply to; inbound webhooks carry the same `id`. */
export interface WireContext {
  message_id: string;
}

/** Fields every send request shares (reference/cloud-api.md §1 "one envelope"). */
export interface WireSendEnvelope {
  messaging_product: 'whatsapp';
  recipient_type?: 'individual' | 'group';
  /** E.164 with `+`: without it Meta prefixes the sender's country code (§1). */
  to: string;
  context?: WireContext;
  /** ≤512 chars, echoed on status webhooks; absent from Meta's OpenAPI spec (§1). */
  biz_opaque_callback_data?: string;
}

/** A media reference: an uploaded media id or a public link (never both). */
export type WireMediaRef = { id: string; link?: never } | { link: string; id?: never };

/** `language` of a template send; SPEC marks `policy` required, in practice optional (§1). */
export interface WireLanguage {
  code: string;
  policy?: 'deterministic';
}

/** A text parameter; NAMED templates add `parameter_name` (absent from SPEC, §1). */
export interface WireTextParameter {
  type: 'text';
  text: string;
  parameter_name?: string;
}

/** A currency body parameter; Cloud API always shows `fallback_value` (§1). */
export interface WireCurrencyParameter {
  type: 'currency';
  currency: { fallback_value: string; code: string; amount_1000: number };
  parameter_name?: string;
}

/** A date/time body parameter. */
export interface WireDateTimeParameter {
  type: 'date_time';
  date_time: { fallback_value: string };
  parameter_name?: string;
}

/** A media header parameter (no caption; documents are PDF only, §1). */
export type WireMediaParameter =
  | { type: 'image'; image: WireMediaRef }
  | { type: 'video'; video: WireMediaRef }
  | { type: 'document'; document: WireMediaRef & { filename?: string } };

/** A location header parameter. */
export interface WireLocationParameter {
  type: 'location';
  location: { latitude: number; longitude: number; name?: string; address?: string };
}

/** Parameters a template header takes. */
export type WireHeaderParameter = WireTextParameter | WireMediaParameter | WireLocationParameter;

/** Parameters a template body takes. */
export type WireBodyParameter = WireTextParameter | WireCurrencyParameter | WireDateTimeParameter;

/** Parameters a template button takes: url suffix, quick-reply payload, copy-code coupon. */
export type WireButtonParameter =
  | { type: 'text'; text: string }
  | { type: 'payload'; payload: string }
  | { type: 'coupon_code'; coupon_code: string };

/** The template header component of a send. */
export interface WireHeaderComponent {
  type: 'header';
  parameters: WireHeaderParameter[];
}

/** The template body component of a send. */
export interface WireBodyComponent {
  type: 'body';
  parameters: WireBodyParameter[];
}

/** A template button component; `index` is a string "0"–"9" (§1). */
export interface WireButtonComponent {
  type: 'button';
  sub_type: 'url' | 'quick_reply' | 'copy_code';
  index: string;
  parameters: WireButtonParameter[];
}

/** One component of a template send. */
export type WireTemplateComponent = WireHeaderComponent | WireBodyComponent | WireButtonComponent;

/** The `template` object of a send. */
export interface WireTemplate {
  name: string;
  language: WireLanguage;
  components?: WireTemplateComponent[];
}

/** A template message request. */
export interface WireTemplateMessage extends WireSendEnvelope {
  type: 'template';
  template: WireTemplate;
}

/** A free-form text message request (body ≤4096, §1). */
export interface WireTextMessage extends WireSendEnvelope {
  type: 'text';
  text: { body: string; preview_url?: boolean };
}

/** The media kinds a free-form media message may carry. */
export type WireMediaKind = 'image' | 'video' | 'document' | 'audio' | 'sticker';

/** A media object of a free-form media message (caption ≤1024 on image/video/document, §1). */
export type WireMediaObject = WireMediaRef & { caption?: string; filename?: string };

/** A free-form media message request: `{type:'image', image:{…}}` and so on. */
export type WireMediaMessage = {
  [K in WireMediaKind]: WireSendEnvelope & { type: K } & { [P in K]: WireMediaObject };
}[WireMediaKind];

/** The header of an interactive message: text (≤60) or media. */
export type WireInteractiveHeader =
  | { type: 'text'; text: string }
  | { type: 'image'; image: WireMediaRef }
  | { type: 'video'; video: WireMediaRef }
  | { type: 'document'; document: WireMediaRef & { filename?: string } };

/** A reply button of an interactive message (id ≤256, title ≤20, 1–3 buttons, §1). */
export interface WireReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}

/** A row of an interactive list (id ≤200, title ≤24, description ≤72, §1). */
export interface WireListRow {
  id: string;
  title: string;
  description?: string;
}

/** A section of an interactive list (title required when there are several, §1). */
export interface WireListSection {
  title?: string;
  rows: WireListRow[];
}

/** Fields both interactive kinds share. */
interface WireInteractiveCommon {
  header?: WireInteractiveHeader;
  body: { text: string };
  footer?: { text: string };
}

/** The `interactive` object: reply buttons or a list. */
export type WireInteractive =
  | (WireInteractiveCommon & { type: 'button'; action: { buttons: WireReplyButton[] } })
  | (WireInteractiveCommon & { type: 'list'; action: { button: string; sections: WireListSection[] } });

/** An interactive message request. */
export interface WireInteractiveMessage extends WireSendEnvelope {
  type: 'interactive';
  interactive: WireInteractive;
}

/** Any send request Chorus builds. */
export type WireSendRequest = WireTemplateMessage | WireTextMessage | WireMediaMessage | WireInteractiveMessage;

/** Mark-as-read (optionally with typing indicator) request; answers `{success:true}` (§1). */
export interface WireMarkReadRequest {
  messaging_product: 'whatsapp';
  status: 'read';
  message_id: string;
  typing_indicator?: { type: 'text' };
}

/** `message_status` on template sends (SPEC MessageStatus, §1). */
export const WIRE_MESSAGE_STATUSES = ['accepted', 'held_for_quality_assessment', 'paused'] as const;

/** Parses a send success answer (SPEC MessageResponsePayload). */
export const sendSuccessSchema = z.looseObject({
  messaging_product: z.literal('whatsapp').optional(),
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string() })).optional(),
  messages: z.array(z.looseObject({ id: z.string(), message_status: z.string().optional() })).min(1),
});

/** A send success answer. */
export type WireSendSuccess = z.infer<typeof sendSuccessSchema>;

/** Parses Meta's Graph error body (SPEC GraphAPIError; reference/cloud-api.md §1 error response). */
export const graphErrorSchema = z.looseObject({
  error: z.looseObject({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number(),
    error_subcode: z.number().optional(),
    error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string().optional() }).optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    is_transient: z.boolean().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Meta's Graph error body. */
export type WireGraphError = z.infer<typeof graphErrorSchema>;
