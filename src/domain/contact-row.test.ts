import { describe, expect, it } from 'vitest';
import { parseIsoTime, type RowContext, validateContactRow } from './contact-row.ts';
import { type CsvLayout, readCsvHeader } from './csv-layout.ts';

const NOW = Date.parse('2026-02-01T00:00:00Z');
const context: RowContext = {
  defaultCountry: 'DE',
  tags: ['spring'],
  consentSource: undefined,
  consentPurpose: 'marketing',
  importedAt: NOW,
};

function layoutOf(header: string[]): CsvLayout {
  const result = readCsvHeader(header);
  if (!result.ok) throw new Error(result.reason);
  return result.layout;
}

const layout = layoutOf(['phone', 'first_name', 'language', 'tags', 'opted_in_at', 'consent_source', 'code']);

describe('validateContactRow', () => {
  it('turns a full row into a contact with a grant', () => {
    const result = validateContactRow(
      ['0151 12345678', ' Ana ', 'pt_BR', 'vip; news;vip', '2026-01-05T10:00:00Z', 'signup-form', 'A1'],
      layout,
      context,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        phone: '+4915112345678',
        firstName: 'Ana',
        lastName: null,
        language: 'pt_BR',
        tags: ['vip', 'news', 'spring'],
        attributes: { code: 'A1' },
        grant: { occurredAt: Date.parse('2026-01-05T10:00:00Z'), source: 'signup-form', purpose: 'marketing' },
      },
    });
  });

  it('stores a row without opted_in_at and without any consent source without consent', () => {
    const result = validateContactRow(['+4915112345678', '', '', '', '', '', ''], layout, context);
    expect(result.ok && result.row.grant).toBeNull();
  });

  it('grants at the import time when only the import names a consent source', () => {
    const result = validateContactRow(['+4915112345678', '', '', '', '', '', ''], layout, {
      ...context,
      consentSource: 'paper-form',
    });
    expect(result.ok && result.row.grant).toEqual({ occurredAt: NOW, source: 'paper-form', purpose: 'marketing' });
  });

  it.each([
    [['+4915112345678', '', 'english', '', '', '', ''], /language "english"/],
    [['+4915112345678', '', '', '', 'yesterday', '', ''], /not an ISO-8601 time/],
    [['+4915112345678', '', '', '', '2027-01-01', '', ''], /in the future/],
    [['+4915112345678', '', '', '', '', '', '', 'surplus'], /8 fields but the header has 7/],
    [['+49 30 1234567', '', '', '', '', '', ''], /fixed line/],
  ])('refuses %j', (cells, reason) => {
    const result = validateContactRow(cells, layout, context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it('accepts empty trailing cells that spreadsheets add', () => {
    expect(validateContactRow(['+4915112345678', '', '', '', '', '', '', '', ''], layout, context).ok).toBe(true);
  });
});

describe('parseIsoTime', () => {
  it('reads dates, UTC and offset times; a time without zone is UTC', () => {
    expect(parseIsoTime('2026-01-05')).toBe(Date.parse('2026-01-05T00:00:00Z'));
    expect(parseIsoTime('2026-01-05T10:00:00+02:00')).toBe(Date.parse('2026-01-05T08:00:00Z'));
    expect(parseIsoTime('2026-01-05 10:00')).toBe(Date.parse('2026-01-05T10:00:00Z'));
    expect(parseIsoTime('05/01/2026')).toBeUndefined();
    expect(parseIsoTime('2026-13-45')).toBeUndefined();
  });
});
