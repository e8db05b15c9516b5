import { normalizePhone } from './phone.ts';

/** A form's public name in its address, `/join/<slug>`: lowercase letters, digits and dashes. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Submissions sooner than this after the page was served are a script's, not a person's. */
export const MIN_FILL_MS = 2_000;

/** A page older than this asks to be reloaded, so a token cannot be harvested once and reused for ever. */
export const MAX_FILL_MS = 24 * 60 * 60 * 1000;

/** How long a double opt-in code waits for its WhatsApp message. */
export const CONFIRMATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What a person sent through a form, as the page posted it. */
export interface FormSubmission {
  phone: string;
  firstName: string;
  consent: string | undefined;
  /** The hidden field people never see; only a script fills it. */
  honeypot: string;
  /** When the page carrying the signed token was served; null without a token, 'invalid' for a forged one. */
  servedAt: number | null | 'invalid';
}

/** The outcome of judging a submission: the number to subscribe, or why not and which field. */
export type SubmissionVerdict =
  | { ok: true; phone: string; firstName: string | null; isTimed: boolean }
  | { ok: false; field: string; reason: string; isBot: boolean };

const refuse = (field: string, reason: string, isBot = false): SubmissionVerdict => ({
  ok: false,
  field,
  reason,
  isBot,
});

/**
 * Judges one submission. The timing check applies when the page's token came with it: the plain
 * HTML snippet pasted into another site has no token (it is static), so its posts are accepted on
 * the other checks and recorded as untimed.
 */
export function judgeSubmission(submission: FormSubmission, now: number): SubmissionVerdict {
  if (submission.honeypot.trim() !== '') return refuse('website', 'the submission looked automated', true);
  const { servedAt } = submission;
  if (servedAt === 'invalid') return refuse('token', 'the page has expired: reload it and try again', true);
  if (servedAt !== null && now - servedAt < MIN_FILL_MS)
    return refuse('token', 'the form was sent too quickly: wait a moment and send it again', true);
  if (servedAt !== null && now - servedAt > MAX_FILL_MS)
    return refuse('token', 'the page has expired: reload it and try again');
  if (submission.consent !== 'on') return refuse('consent', 'tick the box to agree to receive messages');
  const phone = normalizePhone(submission.phone);
  if (!phone.ok) return refuse('phone', `${phone.reason}: give the number with its country code, like +49 151 1234567`);
  const firstName = submission.firstName.trim().slice(0, 100);
  return { ok: true, phone: phone.phone, firstName: firstName === '' ? null : firstName, isTimed: servedAt !== null };
}
