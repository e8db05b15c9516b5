import { Readable } from 'node:stream';
import { type Options, parse } from 'csv-parse';
import { type CsvDelimiter, sniffDelimiter, stripBom } from '../domain/csv-layout.ts';
import { AppError } from '../domain/errors.ts';

/** One parsed record: its cells and the file line it starts on (the header is line 1). */
export interface CsvRecord {
  cells: string[];
  line: number;
}

/** An opened CSV stream: the header, then the records in batches as the parser yields them. */
export interface CsvRecords {
  delimiter: CsvDelimiter;
  header: string[];
  batches: AsyncIterable<CsvRecord[]>;
  /** Bytes of the file read so far, for progress bars. */
  bytesRead(): number;
}

const MAX_HEADER_BYTES = 64 * 1024;

/**
 * Reads the header line to sniff the delimiter, then streams records with csv-parse. An empty
 * or binary file, or an unreadable header, is an `invalid_csv` error before anything is written.
 */
export async function openCsvRecords(input: AsyncIterable<Uint8Array | string>): Promise<CsvRecords> {
  const iterator = input[Symbol.asyncIterator]();
  const head = await readHeaderBytes(iterator);
  const headerLine = checkHeaderBytes(head);
  const delimiter = sniffDelimiter(headerLine);
  const counter = { bytes: 0 };
  // Empty lines are kept (and skipped below) so line numbers stay exact without csv-parse's
  // per-record info object, which cost a sixth of the import's time.
  const parser = Readable.from(prepend(head, iterator, counter)).pipe(
    parse({
      delimiter,
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      readableHighWaterMark: 4096,
    } as Options),
  );
  const batches = readBatches(parser);
  const header = await firstRecord(batches);
  return { delimiter, header: header.cells, batches: batches.rest, bytesRead: () => counter.bytes };
}

// Only the header line decides "binary": a NUL further down is one bad row, reported with its line.
function checkHeaderBytes(head: Buffer): string {
  const headerLine = stripBom(head.toString('utf8').split(/\r?\n/, 1)[0] ?? '');
  if (headerLine.includes('\u0000')) {
    throw new AppError('invalid_csv', 'the file is binary, not CSV (save a spreadsheet as "CSV UTF-8")', {
      field: 'file',
    });
  }
  if (headerLine.trim() === '') {
    throw new AppError('invalid_csv', 'the file is empty (a header row is required)', { field: 'file' });
  }
  return headerLine;
}

async function readHeaderBytes(iterator: AsyncIterator<Uint8Array | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  while (size < MAX_HEADER_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.from(next.value);
    chunks.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a)) break;
  }
  return Buffer.concat(chunks);
}

async function* prepend(
  head: Buffer,
  rest: AsyncIterator<Uint8Array | string>,
  counter: { bytes: number },
): AsyncGenerator<Buffer> {
  counter.bytes = head.length;
  if (head.length > 0) yield head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    const chunk = Buffer.from(next.value);
    counter.bytes += chunk.length;
    yield chunk;
  }
}

interface BatchReader extends AsyncIterable<CsvRecord[]> {
  rest: AsyncIterable<CsvRecord[]>;
}

// Reads whatever the parser has buffered in one go: one await per chunk of records, not per record.
function readBatches(parser: Readable): BatchReader {
  let failure: Error | undefined;
  let isEnded = false;
  let line = 1;
  parser.on('error', (error: Error) => {
    failure = error;
  });
  parser.on('end', () => {
    isEnded = true;
  });
  async function* generate(): AsyncGenerator<CsvRecord[]> {
    for (;;) {
      const batch: CsvRecord[] = [];
      for (let cells: string[] | null = parser.read(); cells !== null; cells = parser.read()) {
        const start = line;
        line += 1 + countNewlines(cells);
        if (cells.length > 1 || cells[0] !== '') batch.push({ cells, line: start });
      }
      // Records parsed before a syntax error are kept, however the bytes happened to arrive.
      if (batch.length > 0) yield batch;
      else if (failure) throw failure;
      else if (isEnded) return;
      else await nextEvent(parser);
    }
  }
  const shared = generate();
  return { [Symbol.asyncIterator]: () => shared, rest: { [Symbol.asyncIterator]: () => shared } };
}

function countNewlines(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) count++;
  }
  return count;
}

function nextEvent(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('readable', done);
      stream.off('end', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('readable', done);
    stream.on('end', done);
    stream.on('error', done);
  });
}

// The first record is the header; the rest of its batch is put back in front of the stream.
async function firstRecord(reader: BatchReader): Promise<CsvRecord> {
  let first: IteratorResult<CsvRecord[]>;
  try {
    first = await reader[Symbol.asyncIterator]().next();
  } catch (error) {
    throw new AppError('invalid_csv', `the header row is not valid CSV: ${(error as Error).message}`, {
      field: 'file',
      cause: error,
    });
  }
  const [header, ...others] = first.done ? [] : first.value;
  if (!header) throw new AppError('invalid_csv', 'the file is empty (a header row is required)', { field: 'file' });
  const shared = reader[Symbol.asyncIterator]();
  reader.rest = {
    async *[Symbol.asyncIterator]() {
      if (others.length > 0) yield others;
      yield* { [Symbol.asyncIterator]: () => shared };
    },
  };
  return header;
}
