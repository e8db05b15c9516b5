import type { CountryCode } from 'libphonenumber-js/max';
import type { ColumnMapping } from './column-mapping.ts';
import type { ConsentPurpose } from './consent.ts';
import type { CsvLayout } from './csv-layout.ts';
import { type E164, normalizePhone } from './phone.ts';
import { unstorableTextReason } from './stored-text.ts';

/** A grant a row carries: when, from where, for which purpose. */
export interface RowGrant {
  occurredAt: number;
  source: string;
  purpose: ConsentPurpose;
}

/** One valid CSV row, ready to store. Empty cells are null: they never erase stored values. */
export interface ContactRow {
  phone: E164;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  tags: string[];
  attributes: Record<string, string>;
  grant: RowGrant | null;
}

/** What applies to every row of one import. */
export interface RowContext {
  defaultCountry: CountryCode | undefined;
  /** Tags added to every row (`--tag`). */
  tags: readonly string[];
  /** Import-level consent source: rows without their own opted_in_at are granted at `importedAt`. */
  consentSource: string | undefined;
  consentPurpose: ConsentPurpose;
  importedAt: number;
  /** The person's choice of what file columns mean, applied to the header before it is read. */
  columnMapping?: ColumnMapping;
}

/** A row is either a contact or the reason it was refused. */
export type RowResult = { ok: true; row: ContactRow } | { ok: false; reason: string };

/** Source recorded for a grant whose row and import name none. */
export const DEFAULT_IMPORT_SOURCE = 'csv-import';

const LANGUAGE_PATTERN = /^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})*$/;
const ISO_8601_PATTERN = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// A clock a little behind the form's server should not turn good rows into errors.
const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;
const MAX_TAG_LENGTH = 100;

/** True for a language code like `en`, `pt_BR` or `en-US`. */
export function isLanguageCode(text: string): boolean {
  return LANGUAGE_PATTERN.test(text);
}

/** Validates one CSV record against the file's layout; never throws. */
export function validateContactRow(cells: readonly string[], layout: CsvLayout, context: RowContext): RowResult {
  const known = layout.known;
  const unstorable = unstorableCellReason(cells);
  if (unstorable) return { ok: false, reason: unstorable };
  const phone = normalizePhone(optionalCell(cells, known.phone) ?? '', context.defaultCountry);
  if (!phone.ok) return phone;
  const language = optionalCell(cells, known.language);
  if (language !== null && !LANGUAGE_PATTERN.test(language)) {
    return { ok: false, reason: `language "${language}" is not a language code like en or pt_BR` };
  }
  const tags = parseTags(optionalCell(cells, known.tags), context.tags);
  if (typeof tags === 'string') return { ok: false, reason: tags };
  const grant = readGrant(optionalCell(cells, known.opted_in_at), optionalCell(cells, known.consent_source), context);
  if (typeof grant === 'string') return { ok: false, reason: grant };
  const extra = extraCellsReason(cells, layout.width);
  if (extra) return { ok: false, reason: extra };
  return {
    ok: true,
    row: {
      phone: phone.phone,
      firstName: optionalCell(cells, known.first_name),
      lastName: optionalCell(cells, known.last_name),
      language,
      tags,
      attributes: readAttributes(cells, layout),
      grant,
    },
  };
}

function unstorableCellReason(cells: readonly string[]): string | undefined {
  for (const [index, cell] of cells.entries()) {
    const reason = unstorableTextReason(cell);
    if (reason) return `column ${index + 1} ${reason}`;
  }
  return undefined;
}

function optionalCell(cells: readonly string[], index: number | undefined): string | null {
  if (index === undefined) return null;
  const value = cells[index]?.trim() ?? '';
  return value === '' ? null : value;
}

/** Splits a `;`-separated tags cell (a `,` also separates) and adds the import's tags, without repeats. */
export function parseTags(cell: string | null, extra: readonly string[]): string[] | string {
  const tags = new Set<string>();
  for (const tag of [...(cell ?? '').split(/[;,]/), ...extra]) {
    const trimmed = tag.trim();
    if (trimmed === '') continue;
    if (trimmed.length > MAX_TAG_LENGTH) return `tag "${trimmed.slice(0, 20)}…" is longer than ${MAX_TAG_LENGTH}`;
    tags.add(trimmed);
  }
  return [...tags];
}

function readGrant(optedInAt: string | null, rowSource: string | null, context: RowContext): RowGrant | null | string {
  const source = rowSource ?? context.consentSource;
  if (optedInAt === null) {
    if (source === undefined) return null;
    return { occurredAt: context.importedAt, source, purpose: context.consentPurpose };
  }
  const time = parseIsoTimeRepeated(optedInAt);
  if (time === undefined) return `opted_in_at "${optedInAt}" is not an ISO-8601 time`;
  if (time > context.importedAt + FUTURE_TOLERANCE_MS) return `opted_in_at "${optedInAt}" is in the future`;
  return { occurredAt: time, source: source ?? DEFAULT_IMPORT_SOURCE, purpose: context.consentPurpose };
}

// Exports stamp many rows with the same opted_in_at: the last answer is kept, which saved a
// twentieth of the parse time.
let lastIsoText: string | undefined;
let lastIsoTime: number | undefined;

function parseIsoTimeRepeated(text: string): number | undefined {
  if (text !== lastIsoText) {
    lastIsoTime = parseIsoTime(text);
    lastIsoText = text;
  }
  return lastIsoTime;
}

/** Parses an ISO-8601 date or date-time (UTC when no offset is given) to epoch ms. */
export function parseIsoTime(text: string): number | undefined {
  if (!ISO_8601_PATTERN.test(text)) return undefined;
  const isDateOnly = text.length === 10;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) && !isDateOnly;
  const time = Date.parse(hasZone || isDateOnly ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(time) ? undefined : time;
}

function readAttributes(cells: readonly string[], layout: CsvLayout): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const { name, index } of layout.attributes) {
    const value = cells[index]?.trim();
    if (value) attributes[name] = value;
  }
  return attributes;
}

// Excel pads rows with empty trailing fields; only extra cells with content mean a broken row.
function extraCellsReason(cells: readonly string[], width: number): string | undefined {
  for (let i = width; i < cells.length; i++) {
    if ((cells[i] ?? '').trim() !== '') return `row has ${cells.length} fields but the header has ${width}`;
  }
  return undefined;
}
