import { type CountryCode, getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import { isE164, normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['+4915112345678', undefined, '+4915112345678'],
    ['+49 151 12345678', undefined, '+4915112345678'],
    ['0049 151 1234 5678', undefined, '+4915112345678'],
    ['+44 7911 123456', undefined, '+447911123456'],
    ['+55 11 98765-4321', undefined, '+5511987654321'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['0151 12345678', 'DE', '+4915112345678'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+44 (0)7911 123456', undefined, '+447911123456'],
  ] as const)('%s (default %s) → %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toEqual({ ok: true, phone: expected });
  });

  it.each([
    ['not-a-number', undefined, /not a phone number/],
    ['', undefined, /empty/],
    ['0151 12345678', undefined, /national format needs a default country/],
    ['+49 30 1234567', undefined, /fixed line/],
    ['+1 800 555 0100', undefined, /toll free/],
    ['+49 151', undefined, /not a (valid|phone) number/],
  ] as const)('refuses %s', (raw, country, reason) => {
    const result = normalizePhone(raw, country);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('agrees with libphonenumber on every country’s example mobile and its neighbours', () => {
    let compared = 0;
    for (const country of getCountries()) {
      const example = getExampleNumber(country as CountryCode, examples);
      if (!example) continue;
      for (const delta of [0, 1, 7, 13]) {
        const digits = String(BigInt(example.number.slice(1)) + BigInt(delta));
        const text = `+${digits}`;
        const parsed = parsePhoneNumberFromString(text);
        const type = parsed?.getType();
        const expected = parsed && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') ? parsed.number : undefined;
        const actual = normalizePhone(text);
        expect(actual.ok ? actual.phone : undefined, `${country} ${text}`).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(800);
  });
});

describe('isE164', () => {
  it('accepts only + and 7–15 digits', () => {
    expect(isE164('+4915112345678')).toBe(true);
    expect(isE164('4915112345678')).toBe(false);
    expect(isE164('+49 151')).toBe(false);
    expect(isE164('+0123456789')).toBe(false);
  });
});
