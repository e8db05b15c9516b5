// The shapes of /api/v1/forms and /api/v1/webhooks as the dashboard reads them.

/** A hosted sign-up form with its page address and embed snippets. */
export interface SignupForm {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  consent_text: string;
  tags: string[];
  purpose: 'marketing' | 'utility';
  double_opt_in: boolean;
  sender: string;
  url: string;
  embed: { iframe: string; html: string };
  created_at: string;
}

/** The events an outbound webhook may subscribe to. */
export const OUTBOUND_EVENTS = ['message.status', 'message.reply', 'contact.opted_out'] as const;

/** An integrator's endpoint (never its secret). */
export interface OutboundWebhook {
  id: string;
  url: string;
  events: (typeof OUTBOUND_EVENTS)[number][];
  created_at: string;
}

/** One delivery of an event and how it went. */
export interface WebhookDelivery {
  id: string;
  event_id: string;
  type: string;
  state: 'pending' | 'delivered' | 'dead';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
}
