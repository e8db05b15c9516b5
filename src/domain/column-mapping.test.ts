import { describe, expect, it } from 'vitest';
import { applyColumnMapping, parseColumnMapping } from './column-mapping.ts';
import { readCsvHeader } from './csv-layout.ts';

describe('parseColumnMapping', () => {
  it('accepts known columns, attributes and skip', () => {
    expect(parseColumnMapping('{"Mobile":"phone","Filiale":"attr.store","Notes":"skip"}')).toEqual({
      Mobile: 'phone',
      Filiale: 'attr.store',
      Notes: 'skip',
    });
  });

  it.each([
    ['not json', 'mapping'],
    ['["phone"]', 'mapping'],
    ['{"Mobile":"telephone"}', 'mapping.Mobile'],
    ['{"Mobile":"attr."}', 'mapping.Mobile'],
    ['{"Vorname":"attr.First Name"}', 'mapping.Vorname'],
  ])('refuses %s, naming %s', (json, field) => {
    expect(() => parseColumnMapping(json)).toThrow(expect.objectContaining({ code: 'validation_failed', field }));
  });
});

describe('applyColumnMapping', () => {
  it('renames mapped columns so the header reader gives them their chosen meaning', () => {
    const header = applyColumnMapping(['Mobile', 'Vorname', 'Filiale', 'Notes', 'code'], {
      Mobile: 'phone',
      Vorname: 'first_name',
      Filiale: 'attr.store',
      Notes: 'skip',
    });
    expect(readCsvHeader(header)).toEqual({
      ok: true,
      layout: {
        known: { phone: 0, first_name: 1 },
        attributes: [
          { name: 'store', index: 2 },
          { name: 'code', index: 4 },
        ],
        width: 5,
      },
    });
  });

  it('refuses a column the file lacks, naming it', () => {
    expect(() => applyColumnMapping(['phone'], { Mobile: 'phone' })).toThrow(
      expect.objectContaining({ code: 'invalid_csv', field: 'mapping.Mobile' }),
    );
  });

  it('refuses two columns with one meaning, naming both', () => {
    expect(() => applyColumnMapping(['phone', 'Mobile'], { Mobile: 'phone' })).toThrow(
      'mapping: columns "phone" and "Mobile" would both be phone; skip one',
    );
  });
});
