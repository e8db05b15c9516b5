import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerVerification, signWebhookBody, verifyWebhookSignature } from './webhook-signature.ts';

const secret = 'app-secret';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('verifyWebhookSignature', () => {
  it('accepts the HMAC Meta would send, upper- or lower-case hex', () => {
    const header = signWebhookBody(body, secret);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, header, secret)).toBe(true);
    expect(verifyWebhookSignature(body, `sha256=${header.slice(7).toUpperCase()}`, secret)).toBe(true);
  });

  it('matches a known HMAC-SHA256 vector (RFC 4231 case 2)', () => {
    const header = 'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843';
    expect(verifyWebhookSignature('what do ya want for nothing?', header, 'Jefe')).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['no prefix', signWebhookBody(body, secret).slice(7)],
    ['sha1 prefix', signWebhookBody(body, secret).replace('sha256=', 'sha1=')],
    ['short', 'sha256=abcd'],
    ['long', `${signWebhookBody(body, secret)}00`],
    ['non-hex', `sha256=${'z'.repeat(64)}`],
    ['other secret', signWebhookBody(body, 'other')],
  ])('refuses a %s header without throwing', (_label, header) => {
    expect(verifyWebhookSignature(body, header, secret)).toBe(false);
  });

  it('refuses when no app secret is configured', () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, ''), '')).toBe(false);
  });

  it('property: the signature verifies its own body and no other', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.uint8Array({ maxLength: 512 }),
        fc.string({ minLength: 1 }),
        (a, b, key) => {
          const header = signWebhookBody(a, key);
          expect(verifyWebhookSignature(a, header, key)).toBe(true);
          const same = Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
          expect(verifyWebhookSignature(b, header, key)).toBe(same);
        },
      ),
    );
  });

  it('property: any single flipped hex digit is refused', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.nat(63), (bytes, at) => {
        const header = signWebhookBody(bytes, secret);
        const digit = header[7 + at]!;
        const flipped = header.slice(0, 7 + at) + (digit === '0' ? '1' : '0') + header.slice(8 + at);
        expect(verifyWebhookSignature(bytes, flipped, secret)).toBe(false);
      }),
    );
  });
});

describe('answerVerification', () => {
  const query = { 'hub.mode': 'subscribe', 'hub.verify_token': 'tok', 'hub.challenge': '1158201444' };

  it('echoes the challenge for the right token', () => {
    expect(answerVerification(query, 'tok')).toEqual({ ok: true, challenge: '1158201444' });
  });

  it.each([
    ['wrong token', { ...query, 'hub.verify_token': 'nope' }, 'tok'],
    ['wrong mode', { ...query, 'hub.mode': 'unsubscribe' }, 'tok'],
    ['no challenge', { ...query, 'hub.challenge': undefined }, 'tok'],
    ['no token configured', query, undefined],
    ['token prefix only', { ...query, 'hub.verify_token': 'to' }, 'tok'],
  ])('refuses: %s', (_label, q, token) => {
    expect(answerVerification(q, token).ok).toBe(false);
  });
});
