// Webhook authenticity: the X-Hub-Signature-256 check and the GET verification handshake
// (reference/cloud-api.md §4).
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** `sha256=<hex>` of HMAC-SHA256(app secret, raw body): what Meta puts in X-Hub-Signature-256. */
export function signWebhookBody(rawBody: Uint8Array | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * True when `header` is `sha256=<hex>` of the exact raw body bytes under the app secret; compared
 * in constant time. A missing, malformed or wrong-length header is false, never a throw.
 */
export function verifyWebhookSignature(
  rawBody: Uint8Array | string,
  header: string | null | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX) || appSecret.length === 0) return false;
  const hex = header.slice(PREFIX.length);
  if (hex.length !== 64 || !/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}

/** The query of Meta's GET verification request. */
export interface VerificationQuery {
  'hub.mode'?: string | null;
  'hub.verify_token'?: string | null;
  'hub.challenge'?: string | null;
}

/** Answer to the handshake: echo the challenge with 200, or refuse (any 4xx) with a reason. */
export type VerificationAnswer = { ok: true; challenge: string } | { ok: false; reason: string };

/** The GET handshake: `hub.mode=subscribe` and the right `hub.verify_token` → echo `hub.challenge`. */
export function answerVerification(query: VerificationQuery, verifyToken: string | undefined): VerificationAnswer {
  if (verifyToken === undefined || verifyToken === '') return { ok: false, reason: 'no verify token configured' };
  if (query['hub.mode'] !== 'subscribe') return { ok: false, reason: 'hub.mode is not subscribe' };
  const challenge = query['hub.challenge'];
  if (typeof challenge !== 'string' || challenge === '') return { ok: false, reason: 'hub.challenge is missing' };
  if (!sameSecret(query['hub.verify_token'] ?? '', verifyToken)) return { ok: false, reason: 'verify token mismatch' };
  return { ok: true, challenge };
}

function sameSecret(given: string, expected: string): boolean {
  // Hash both so lengths match and the comparison leaks neither content nor length.
  const a = createHmac('sha256', 'chorus-verify').update(given).digest();
  const b = createHmac('sha256', 'chorus-verify').update(expected).digest();
  return timingSafeEqual(a, b);
}
