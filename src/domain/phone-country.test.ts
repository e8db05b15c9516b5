import { describe, expect, it } from 'vitest';
import { callingCodeOf, countryOfPhone, isUsNumber } from './phone-country.ts';

describe('callingCodeOf', () => {
  it('finds 1-, 2- and 3-digit calling codes', () => {
    expect(callingCodeOf('+16505551234')).toBe('1');
    expect(callingCodeOf('+4915112345678')).toBe('49');
    expect(callingCodeOf('+351912345678')).toBe('351');
    expect(callingCodeOf('+0123')).toBeUndefined();
  });
});

describe('countryOfPhone', () => {
  it('answers single-country codes from the metadata and shared ones by parsing', () => {
    expect(countryOfPhone('+4915112345678')).toBe('DE');
    expect(countryOfPhone('+5511987654321')).toBe('BR');
    expect(countryOfPhone('+16505551234')).toBe('US');
    expect(countryOfPhone('+14165551234')).toBe('CA');
    expect(countryOfPhone('+447700900123')).toBe('GB');
    expect(countryOfPhone('+77012345678')).toBe('KZ');
    expect(countryOfPhone('+79161234567')).toBe('RU');
  });
  it('is undefined for non-E.164 input', () => {
    expect(countryOfPhone('16505551234')).toBeUndefined();
    expect(countryOfPhone('+999')).toBeUndefined();
  });
});

describe('isUsNumber', () => {
  it('is true for +1 numbers with US area codes, territories included', () => {
    expect(isUsNumber('+16505551234')).toBe(true);
    expect(isUsNumber('+17875551234')).toBe(true); // Puerto Rico
  });
  it('is false for Canada, the Caribbean and other countries', () => {
    expect(isUsNumber('+14165551234')).toBe(false);
    expect(isUsNumber('+18765551234')).toBe(false); // Jamaica
    expect(isUsNumber('+4915112345678')).toBe(false);
  });
});
