import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCredentialBox } from './credential-box.ts';

describe('createCredentialBox', () => {
  const box = createCredentialBox(randomBytes(32));

  it('opens what it sealed, and never shows the plain text', () => {
    const sealed = box.seal('EAAG-secret-token', 'brand-b');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret');
    expect(box.open(sealed, 'brand-b')).toBe('EAAG-secret-token');
    expect(box.seal('EAAG-secret-token', 'brand-b')).not.toBe(sealed);
  });

  it("refuses another sender's value, a tampered value and another key, saying what to check", () => {
    const sealed = box.seal('token', 'brand-b');
    expect(() => box.open(sealed, 'brand-c')).toThrow(/sender "brand-c".*CHORUS_SECRET_KEY/);
    const [v, nonce, tag, body] = sealed.split('.');
    const flipped = `${v}.${nonce}.${tag}.${Buffer.from(Buffer.from(body as string, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')}`;
    expect(() => box.open(flipped, 'brand-b')).toThrow(/cannot be read/);
    expect(() => createCredentialBox(randomBytes(32)).open(sealed, 'brand-b')).toThrow(/cannot be read/);
    expect(() => box.open('plain-text', 'brand-b')).toThrow(/cannot be read/);
  });
});
