import { CONSENT_PURPOSES, type ConsentPurpose } from '../domain/consent.ts';
import { type RowContext, validateContactRow } from '../domain/contact-row.ts';
import { type CsvLayout, readCsvHeader } from '../domain/csv-layout.ts';
import { AppError } from '../domain/errors.ts';
import { isCountryCode } from '../domain/phone.ts';
import type { Database } from '../store/db.ts';
import type { ImportWriter } from '../store/import-writer.ts';
import { createImportWriter } from '../store/import-writers.ts';
import { finishImportRecord, type ImportCounts, startImportRecord } from '../store/imports-repo.ts';
import { type CsvRecords, openCsvRecords } from './csv-records.ts';
import { type BatchContext, type PendingRow, writeImportBatch } from './import-batch.ts';

/** The answer of every import, exactly as the API and `--json` print it. */
export interface ImportReport extends ImportCounts {
  errors: { row: number; reason: string }[];
}

/** How one import is run; the same for the API, the CLI and the benchmark. */
export interface ImportContactsOptions {
  fileName: string;
  tags?: readonly string[];
  consentSource?: string;
  consentPurpose?: string;
  defaultCountry?: string;
  /** Called after each batch with the rows and bytes read so far. */
  onProgress?: (progress: { rows: number; bytes: number }) => void;
  /** Rows per transaction; large batches amortise statement overhead. */
  batchSize?: number;
}

/** Errors listed in a report; the counts stay exact beyond it. */
export const MAX_REPORTED_ERRORS = 1000;
const DEFAULT_BATCH_SIZE = 5000;

/**
 * Imports a contacts CSV from a byte stream: rows are validated one by one and written in
 * batches, each in its own transaction, so memory stays flat and a bad row never stops the
 * good ones. A file that cannot be read as CSV with a phone column changes nothing.
 */
export async function importContacts(
  database: Database,
  input: AsyncIterable<Uint8Array | string>,
  options: ImportContactsOptions,
  clock: () => number,
): Promise<ImportReport> {
  const context = rowContext(options, clock());
  const csv = await openCsvRecords(input);
  const header = readCsvHeader(csv.header);
  if (!header.ok) throw new AppError('invalid_csv', header.reason, { field: 'file' });
  const importId = await startImportRecord(database.db, options.fileName, context.importedAt);
  const batchContext: BatchContext = { importId, fileName: options.fileName, now: context.importedAt };
  const report = await importRecords(createImportWriter(database), csv, header.layout, context, batchContext, options);
  await finishImportRecord(database.db, importId, report, clock());
  return report;
}

function rowContext(options: ImportContactsOptions, now: number): RowContext {
  const country = options.defaultCountry?.toUpperCase();
  if (country !== undefined && !isCountryCode(country)) {
    throw new AppError(
      'validation_failed',
      `default_country "${options.defaultCountry}" is not an ISO country code like DE`,
      {
        field: 'default_country',
      },
    );
  }
  const purpose = options.consentPurpose ?? 'marketing';
  if (!(CONSENT_PURPOSES as readonly string[]).includes(purpose)) {
    throw new AppError('validation_failed', `consent_purpose must be one of ${CONSENT_PURPOSES.join(', ')}`, {
      field: 'consent_purpose',
    });
  }
  const consentSource = options.consentSource?.trim() || undefined;
  const tags = (options.tags ?? []).map((t) => t.trim()).filter((t) => t !== '');
  return { defaultCountry: country, tags, consentSource, consentPurpose: purpose as ConsentPurpose, importedAt: now };
}

async function importRecords(
  writer: ImportWriter,
  csv: CsvRecords,
  layout: CsvLayout,
  context: RowContext,
  batchContext: BatchContext,
  options: ImportContactsOptions,
): Promise<ImportReport> {
  const report: ImportReport = { imported: 0, updated: 0, invalid: 0, duplicates: 0, errors: [] };
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let batch = new Map<string, PendingRow>();
  let rows = 0;
  const flush = async () => {
    const outcome = await writeImportBatch(writer, [...batch.values()], batchContext);
    report.imported += outcome.imported;
    report.updated += outcome.updated;
    report.duplicates += outcome.duplicates;
    batch = new Map();
    options.onProgress?.({ rows, bytes: csv.bytesRead() });
  };
  try {
    for await (const records of csv.batches) {
      for (const record of records) {
        rows++;
        const result = validateContactRow(record.cells, layout, context);
        if (!result.ok) addError(report, record.line, result.reason);
        else if (batch.has(result.row.phone)) report.duplicates++;
        else batch.set(result.row.phone, { row: result.row, line: record.line });
        if (batch.size >= batchSize) await flush();
      }
    }
  } catch (error) {
    if (!isCsvSyntaxError(error)) throw error;
    // A syntax error deep in the file ends the read; rows before it are kept and the report says where.
    addError(report, rows + 2, `the file stops being valid CSV here (${error.message}); the rest was not read`);
  }
  if (batch.size > 0) await flush();
  return report;
}

function addError(report: ImportReport, row: number, reason: string): void {
  report.invalid++;
  if (report.errors.length < MAX_REPORTED_ERRORS) report.errors.push({ row, reason });
}

function isCsvSyntaxError(error: unknown): error is Error {
  return error instanceof Error && String((error as { code?: unknown }).code ?? '').startsWith('CSV_');
}
