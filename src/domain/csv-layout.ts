/** Columns the contacts CSV gives a meaning to; any other column is a custom attribute. */
export const KNOWN_COLUMNS = [
  'phone',
  'first_name',
  'last_name',
  'language',
  'tags',
  'opted_in_at',
  'consent_source',
] as const;

/** One of the known contact columns. */
export type KnownColumn = (typeof KNOWN_COLUMNS)[number];

/** Where each column of a file sits: known columns by index, the rest as named attributes. */
export interface CsvLayout {
  known: Partial<Record<KnownColumn, number>>;
  attributes: { name: string; index: number }[];
  width: number;
}

/** A header that cannot be imported, with the reason for people. */
export type LayoutResult = { ok: true; layout: CsvLayout } | { ok: false; reason: string };

/** A header name as compared: spreadsheets write "First Name" or "First-Name" for first_name. */
export function canonicalName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Reads a header row into a layout; a header without a phone column or with repeated names is refused. */
export function readCsvHeader(header: readonly string[]): LayoutResult {
  const known: CsvLayout['known'] = {};
  const attributes: CsvLayout['attributes'] = [];
  const seen = new Set<string>();
  for (const [index, raw] of header.entries()) {
    const name = raw.trim();
    const canonical = canonicalName(name);
    if (name === '') continue;
    if (seen.has(canonical)) return { ok: false, reason: `the header repeats the column "${name}"` };
    seen.add(canonical);
    if ((KNOWN_COLUMNS as readonly string[]).includes(canonical)) known[canonical as KnownColumn] = index;
    else attributes.push({ name, index });
  }
  if (known.phone === undefined) {
    const found = header.slice(0, 10).join(', ');
    return { ok: false, reason: `the header has no "phone" column (found: ${found || 'nothing'})` };
  }
  return { ok: true, layout: { known, attributes, width: header.length } };
}

const DELIMITERS = [',', ';', '\t'] as const;

/** A field separator the import understands. */
export type CsvDelimiter = (typeof DELIMITERS)[number];

/** Guesses the separator from the header line: the candidate seen most often outside quotes, else ','. */
export function sniffDelimiter(headerLine: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let isQuoted = false;
  for (const char of headerLine) {
    if (char === '"') isQuoted = !isQuoted;
    else if (!isQuoted) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const candidate of DELIMITERS) if ((counts.get(candidate) ?? 0) > (counts.get(best) ?? 0)) best = candidate;
  return best;
}

/** Removes a UTF-8 byte-order mark, which Excel puts at the start of "CSV UTF-8" exports. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
