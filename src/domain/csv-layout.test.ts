import { describe, expect, it } from 'vitest';
import { readCsvHeader, sniffDelimiter, stripBom } from './csv-layout.ts';

describe('readCsvHeader', () => {
  it('maps known columns, spreadsheet spellings included, and keeps the rest as attributes', () => {
    const result = readCsvHeader(['Phone', 'First Name', 'last-name', 'tags', 'code', ' City ']);
    expect(result).toEqual({
      ok: true,
      layout: {
        known: { phone: 0, first_name: 1, last_name: 2, tags: 3 },
        attributes: [
          { name: 'code', index: 4 },
          { name: 'City', index: 5 },
        ],
        width: 6,
      },
    });
  });

  it('refuses a header without a phone column, naming what it found', () => {
    expect(readCsvHeader(['name', 'email'])).toEqual({
      ok: false,
      reason: 'the header has no "phone" column (found: name, email)',
    });
  });

  it('refuses repeated columns', () => {
    const result = readCsvHeader(['phone', 'code', 'Code']);
    expect(result.ok).toBe(false);
  });
});

describe('sniffDelimiter', () => {
  it.each([
    ['phone,first_name,last_name', ','],
    ['phone;first_name;last_name', ';'],
    ['phone\tfirst_name', '\t'],
    ['"a,b";phone;name', ';'],
    ['phone', ','],
  ])('%j → %j', (line, expected) => {
    expect(sniffDelimiter(line)).toBe(expected);
  });
});

describe('stripBom', () => {
  it('removes only a leading byte-order mark', () => {
    expect(stripBom('\uFEFFphone')).toBe('phone');
    expect(stripBom('phone')).toBe('phone');
  });
});
