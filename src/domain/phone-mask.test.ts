import { describe, expect, it } from 'vitest';
import { maskPhone, maskPhonesInText } from './phone-mask.ts';

describe('maskPhone', () => {
  it('keeps the country and network prefix and the last three digits, and the length', () => {
    expect(maskPhone('+4915112345678')).toBe('+49151*****678');
    expect(maskPhone('4915112345678')).toBe('49151*****678');
    expect(maskPhone('+14155550123')).toBe('+14155***123');
    expect(maskPhone('+4915112345678')).toHaveLength('+4915112345678'.length);
  });

  it('hides most of a short number too', () => {
    expect(maskPhone('+1234567')).toBe('+12**567');
    expect(maskPhone('12345')).toBe('12*45');
  });
});

describe('maskPhonesInText', () => {
  it('masks numbers inside paths and messages, URL-encoded or not, and leaves short numbers alone', () => {
    expect(maskPhonesInText('/api/v1/contacts/%2B4915112345678/export')).toBe(
      '/api/v1/contacts/%2B49151*****678/export',
    );
    expect(maskPhonesInText('no contact +447700900123 (row 12)')).toBe('no contact +44770****123 (row 12)');
    expect(maskPhonesInText('campaign 123456 of 2026')).toBe('campaign 123456 of 2026');
  });
});
