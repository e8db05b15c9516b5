// The envelope every send shares, and the checks on `to` and `biz_opaque_callback_data` (reference/cloud-api.md §1).
import { AppError } from '../domain/errors.ts';
import type { WireSendEnvelope } from './wire-send.ts';

// E.164: `+`, a non-zero digit, at most 15 digits in all.
const E164 = /^\+[1-9]\d{6,14}$/;

/** Longest `biz_opaque_callback_data` Meta takes (§1). */
export const MAX_CALLBACK_DATA_CHARS = 512;

/** True when `to` is E.164 with the `+`; without it Meta prefixes the sender's country code (§1). */
export function isWireRecipient(to: string): boolean {
  return E164.test(to);
}

/** Throws AppError unless `to` is E.164 with `+` and callback data fits Meta's 512 chars. */
export function assertWireRecipient(to: string, callbackData: string): void {
  if (!E164.test(to)) {
    throw new AppError('invalid_phone', `recipient must be E.164 with a leading +, got ${JSON.stringify(to)}`, {
      field: 'to',
    });
  }
  if (callbackData.length > MAX_CALLBACK_DATA_CHARS) {
    throw new AppError('validation_failed', `biz_opaque_callback_data exceeds ${MAX_CALLBACK_DATA_CHARS} chars`, {
      field: 'callbackData',
    });
  }
}

/** The shared envelope fields; callback data goes on every send so webhooks name our message (§1). */
export function wireEnvelope(to: string, callbackData: string): WireSendEnvelope {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, biz_opaque_callback_data: callbackData };
}
