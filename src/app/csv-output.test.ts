import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsvLines } from './csv-output.ts';

describe('toCsvLines', () => {
  it('neutralises formula-like text cells, keeps phones, numbers and plain text, and quotes as CSV does', () => {
    const csv = toCsvLines([
      ['phone', 'name', 'n'],
      ['+4915112345678', '=HYPERLINK("http://x","y")', 3],
      ['+49 151', '-1+2', -4],
      ['@SUM(A1)', 'Ana, "the" admin', 0],
    ]);
    expect(parse(csv)).toEqual([
      ['phone', 'name', 'n'],
      ['+4915112345678', `'=HYPERLINK("http://x","y")`, '3'],
      [`'+49 151`, `'-1+2`, '-4'],
      [`'@SUM(A1)`, 'Ana, "the" admin', '0'],
    ]);
  });
});
