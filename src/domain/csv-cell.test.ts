import { describe, expect, it } from 'vitest';
import { neutraliseCsvCell } from './csv-cell.ts';

describe('neutraliseCsvCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+2', `'+1+2`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1)', `'@SUM(A1)`],
    ['\tcmd', `'\tcmd`],
    ['\rcmd', `'\rcmd`],
  ])('prefixes %j', (cell, expected) => {
    expect(neutraliseCsvCell(cell)).toBe(expected);
  });

  it('keeps E.164 phones, plain text and empty cells as they are', () => {
    expect(neutraliseCsvCell('+4915112345678')).toBe('+4915112345678');
    expect(neutraliseCsvCell('Ana = admin')).toBe('Ana = admin');
    expect(neutraliseCsvCell('')).toBe('');
  });

  it('still neutralises a + that only looks like a phone', () => {
    expect(neutraliseCsvCell('+49 151 1234')).toBe(`'+49 151 1234`);
    expect(neutraliseCsvCell('+0123456789')).toBe(`'+0123456789`);
  });
});
