import { applyColumnMapping, type ColumnMapping } from '../domain/column-mapping.ts';
import { type ContactRow, type RowContext, type RowGrant, validateContactRow } from '../domain/contact-row.ts';
import { type CsvLayout, readCsvHeader } from '../domain/csv-layout.ts';
import { AppError } from '../domain/errors.ts';
import { type CsvRecords, openCsvRecords } from './csv-records.ts';

/** A valid row waiting to be written, flat so it crosses threads cheaply. Phones are distinct within a batch. */
export interface PendingRow {
  line: number;
  phone: string;
  firstName: string | null;
  lastName: string | null;
  language: string | null;
  tags: string[];
  /** The row's custom columns as stored JSON; `{}` when it has none. */
  attributesJson: string;
  grant: RowGrant | null;
}

/** A refused row as the report lists it. */
export interface RowError {
  row: number;
  reason: string;
}

/** Rows of one write batch, with what reading them found and how far the file has been read. */
export interface ParsedBatch {
  rows: PendingRow[];
  /** Records read so far, and bytes, for progress. */
  rowsRead: number;
  bytesRead: number;
  /** Rows refused and rows repeating a phone of the same batch, since the previous batch. */
  invalid: number;
  duplicates: number;
  /** Refusals to list; reading stops listing after `maxListedErrors` in all. */
  errors: RowError[];
}

/** An opened contacts CSV: records plus the column layout of its header. */
export interface ContactCsv {
  csv: CsvRecords;
  layout: CsvLayout;
}

/**
 * Opens the CSV and reads its header, renamed by the mapping when one is given; a file that
 * cannot be imported is an `invalid_csv` error.
 */
export async function openContactCsv(
  input: AsyncIterable<Uint8Array | string>,
  mapping?: ColumnMapping,
): Promise<ContactCsv> {
  const csv = await openCsvRecords(input);
  const header = readCsvHeader(mapping ? applyColumnMapping(csv.header, mapping) : csv.header);
  if (!header.ok) throw new AppError('invalid_csv', header.reason, { field: 'file' });
  return { csv, layout: header.layout };
}

/**
 * Validates records one by one and yields a batch whenever `batchSize` distinct phones are
 * waiting, then a last batch (possibly without rows) with the counts of the tail of the file.
 */
export async function* readRowBatches(
  { csv, layout }: ContactCsv,
  context: RowContext,
  batchSize: number,
  maxListedErrors: number,
): AsyncGenerator<ParsedBatch> {
  let batch = emptyBatch();
  let phones = new Set<string>();
  let rows = 0;
  let listed = 0;
  const refuse = (row: number, reason: string) => {
    batch.invalid++;
    if (listed++ < maxListedErrors) batch.errors.push({ row, reason });
  };
  try {
    for await (const records of csv.batches) {
      for (const record of records) {
        rows++;
        const result = validateContactRow(record.cells, layout, context);
        if (!result.ok) refuse(record.line, result.reason);
        else if (phones.has(result.row.phone)) batch.duplicates++;
        else {
          phones.add(result.row.phone);
          batch.rows.push(toPendingRow(result.row, record.line));
        }
        if (batch.rows.length < batchSize) continue;
        yield finish(batch, rows, csv.bytesRead());
        batch = emptyBatch();
        phones = new Set();
      }
    }
  } catch (error) {
    if (!isCsvSyntaxError(error)) throw error;
    // A syntax error deep in the file ends the read; rows before it are kept and the report says where.
    refuse(rows + 2, `the file stops being valid CSV here (${error.message}); the rest was not read`);
  }
  yield finish(batch, rows, csv.bytesRead());
}

function emptyBatch(): ParsedBatch {
  return { rows: [], rowsRead: 0, bytesRead: 0, invalid: 0, duplicates: 0, errors: [] };
}

function finish(batch: ParsedBatch, rowsRead: number, bytesRead: number): ParsedBatch {
  batch.rowsRead = rowsRead;
  batch.bytesRead = bytesRead;
  return batch;
}

function toPendingRow(row: ContactRow, line: number): PendingRow {
  return {
    line,
    phone: row.phone,
    firstName: row.firstName,
    lastName: row.lastName,
    language: row.language,
    tags: row.tags,
    attributesJson: JSON.stringify(row.attributes),
    grant: row.grant,
  };
}

function isCsvSyntaxError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('CSV_');
}
