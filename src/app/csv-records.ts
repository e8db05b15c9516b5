import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { type CsvDelimiter, sniffDelimiter, stripBom } from '../domain/csv-layout.ts';
import { AppError } from '../domain/errors.ts';

/** One parsed record: its cells, the file line it ends on, and the bytes read so far. */
export interface CsvRecord {
  cells: string[];
  line: number;
  bytes: number;
}

/** An opened CSV stream: the header and the records after it. */
export interface CsvRecords {
  delimiter: CsvDelimiter;
  header: string[];
  records: AsyncIterable<CsvRecord>;
}

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads the header line to sniff the delimiter, then streams records with csv-parse. An empty
 * or binary file, or an unreadable header, is an `invalid_csv` error before anything is written.
 */
export async function openCsvRecords(input: AsyncIterable<Uint8Array | string>): Promise<CsvRecords> {
  const iterator = input[Symbol.asyncIterator]();
  const head = await readHeaderBytes(iterator);
  const text = head.toString('utf8');
  if (text.includes('\u0000')) {
    throw new AppError('invalid_csv', 'the file is binary, not CSV (save a spreadsheet as "CSV UTF-8")', {
      field: 'file',
    });
  }
  const headerLine = stripBom(text.split(/\r?\n/, 1)[0] ?? '');
  if (headerLine.trim() === '')
    throw new AppError('invalid_csv', 'the file is empty (a header row is required)', { field: 'file' });
  const delimiter = sniffDelimiter(headerLine);
  const parser = Readable.from(prepend(head, iterator)).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: string[];
    info: { lines: number; bytes: number };
  }>;
  const first = await nextHeader(records);
  return { delimiter, header: first, records: recordsOf(records) };
}

async function readHeaderBytes(iterator: AsyncIterator<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < MAX_HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a)) break;
  }
  return Buffer.concat(chunks);
}

async function* prepend(head: Buffer, rest: AsyncIterator<Uint8Array | string>): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value);
  }
}

async function nextHeader(records: AsyncIterator<{ record: string[] }>): Promise<string[]> {
  try {
    const first = await records.next();
    if (first.done)
      throw new AppError('invalid_csv', 'the file is empty (a header row is required)', { field: 'file' });
    return first.value.record;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_csv', `the header row is not valid CSV: ${(error as Error).message}`, {
      field: 'file',
      cause: error,
    });
  }
}

async function* recordsOf(
  records: AsyncIterator<{ record: string[]; info: { lines: number; bytes: number } }>,
): AsyncGenerator<CsvRecord> {
  for (;;) {
    const next = await records.next();
    if (next.done) return;
    yield { cells: next.value.record, line: next.value.info.lines, bytes: next.value.info.bytes };
  }
}
