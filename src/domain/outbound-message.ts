// The port between dispatch and whatever carries messages to WhatsApp (the Cloud API client,
// later other providers). Dispatch owns these types; adapters map them to their wire format.

/** How Chorus classifies a provider error; dispatch branches on the class, never on text. */
export const SEND_ERROR_CLASSES = [
  /** Transient: retry with exponential backoff and jitter. */
  'retryable',
  /** The sender's throughput is exhausted (130429, 80007, 4): slow the whole sender down. */
  'throughput',
  /** Too many messages to this recipient (131056): delay this recipient only. */
  'pair_rate',
  /** This recipient cannot get this message (131026, 131050, 131049 for 24 h …): do not retry now. */
  'recipient_permanent',
  /** The template is missing, paused, disabled or its parameters are wrong: fix the template. */
  'template',
  /** Token, permission or configuration problem: pause the sender. */
  'auth_config',
  /** Account or quality problem (spam limit, restricted WABA): pause and tell a person. */
  'policy_quality',
  /** The request may have been taken (timeout, dropped connection): reconcile before any resend. */
  'unknown_outcome',
] as const;

/** One of SEND_ERROR_CLASSES. */
export type SendErrorClass = (typeof SEND_ERROR_CLASSES)[number];

/** A parameter of a template body or header. NAMED templates carry `name`; positional ones do not. */
export type TemplateTextParameter = { type: 'text'; text: string; name?: string };

/** A media header parameter, by public link or uploaded media id. */
export type TemplateMediaParameter = {
  type: 'image' | 'video' | 'document';
  link?: string;
  mediaId?: string;
  filename?: string;
};

/** A button parameter; `index` is the button's position in the template (0–9). */
export type TemplateButtonParameter =
  | { subType: 'url'; index: number; text: string }
  | { subType: 'quick_reply'; index: number; payload: string }
  | { subType: 'copy_code'; index: number; couponCode: string };

/** A template with every parameter already rendered and validated. */
export interface RenderedTemplate {
  name: string;
  languageCode: string;
  header?: TemplateTextParameter | TemplateMediaParameter;
  body: TemplateTextParameter[];
  buttons: TemplateButtonParameter[];
}

/** One message to send: `to` is E.164 with the `+`; `callbackData` is our message id, echoed by webhooks. */
export interface OutboundMessage {
  to: string;
  callbackData: string;
  template: RenderedTemplate;
}

/** Provider's error details, as recorded on every attempt. */
export interface SendError {
  errorClass: SendErrorClass;
  code: number | null;
  subcode: number | null;
  title: string;
  details: string | null;
  fbtraceId: string | null;
  httpStatus: number | null;
}

/** What one send attempt came to. */
export type SendOutcome = { ok: true; wamid: string; messageStatus: string | null } | { ok: false; error: SendError };

/** The port dispatch sends through. */
export interface MessageProvider {
  send(message: OutboundMessage, signal: AbortSignal): Promise<SendOutcome>;
}
