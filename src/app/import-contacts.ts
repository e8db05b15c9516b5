import type { ColumnMapping } from '../domain/column-mapping.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../domain/consent.ts';
import type { RowContext } from '../domain/contact-row.ts';
import { AppError } from '../domain/errors.ts';
import { isCountryCode } from '../domain/phone.ts';
import { isAnyCampaignRunning } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import type { ImportTx } from '../store/import-writer.ts';
import { createImportWriter } from '../store/import-writers.ts';
import { finishImportRecord, type ImportCounts, startImportRecord } from '../store/imports-repo.ts';
import { type ParseMode, readContactRows } from './contact-rows.ts';
import { type BatchContext, writeImportBatch } from './import-batch.ts';
import type { ParsedBatch, RowError } from './row-batches.ts';

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
  /** What file columns mean, when the header alone does not say (the dashboard's column mapping). */
  columnMapping?: ColumnMapping;
  /** Called after each batch with the rows and bytes read so far. */
  onProgress?: (progress: { rows: number; bytes: number }) => void;
  /** Rows per batch; large batches amortise statement overhead. */
  batchSize?: number;
  /**
   * Where rows are parsed and validated. Default `auto`: a worker thread for a large file when a
   * core is idle, inline otherwise (the worker costs more CPU; docs/benchmarks.md).
   */
  parseMode?: ParseMode;
}

/** Errors listed in a report; the counts stay exact beyond it. */
export const MAX_REPORTED_ERRORS = 1000;
const DEFAULT_BATCH_SIZE = 5000;

/**
 * Imports a contacts CSV from a byte stream: rows are validated one by one and written in
 * batches, several to a transaction, so memory stays flat and a bad row never stops the good
 * ones. A file that cannot be read as CSV with a phone column changes nothing.
 */
export async function importContacts(
  database: Database,
  input: AsyncIterable<Uint8Array | string>,
  options: ImportContactsOptions,
  clock: () => number,
): Promise<ImportReport> {
  const context = rowContext(options, clock());
  const settings = {
    context,
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    maxListedErrors: MAX_REPORTED_ERRORS,
  };
  const batches = await readContactRows(input, settings, options.parseMode ?? 'auto');
  const importId = await startImportRecord(database.db, options.fileName, context.importedAt);
  const batchContext: BatchContext = { importId, fileName: options.fileName, now: context.importedAt };
  const report = await importRecords(database, batches, batchContext, options);
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
  return {
    defaultCountry: country,
    tags,
    consentSource,
    consentPurpose: purpose as ConsentPurpose,
    importedAt: now,
    columnMapping: options.columnMapping,
  };
}

/** How much of an import one transaction may hold: rows, and milliseconds since it began. */
interface TransactionBounds {
  rows: number;
  ms: number;
}

// Batches share a transaction up to these bounds. With phones in no order, as real lists come,
// every batch dirties pages all over the unique phone index, and a commit writes each dirty page
// once: a page that several batches dirty is written once per commit instead of once per batch.
// The time bound keeps other writers from waiting long, even when an upload arrives slowly.
const SHARED_TRANSACTION: TransactionBounds = { rows: 50_000, ms: 500 };
// While a campaign sends, its loop needs the database every few milliseconds and would wait out
// whole transactions, sending next to nothing until a large import ends. Then each batch commits
// on its own.
const ONE_BATCH: TransactionBounds = { rows: 1, ms: 0 };

async function importRecords(
  database: Database,
  batches: AsyncIterable<ParsedBatch>,
  context: BatchContext,
  options: ImportContactsOptions,
): Promise<ImportReport> {
  const writer = createImportWriter(database);
  const report: ImportReport = { imported: 0, updated: 0, invalid: 0, duplicates: 0, errors: [] };
  const parsed = batches[Symbol.asyncIterator]();
  let isRead = false;
  try {
    while (!isRead) {
      const bounds = (await isAnyCampaignRunning(database.db)) ? ONE_BATCH : SHARED_TRANSACTION;
      isRead = await writer.transaction(async (tx) => {
        const started = performance.now();
        let rows = 0;
        do {
          const next = await parsed.next();
          if (next.done) return true;
          rows += await writeBatch(tx, next.value, context, report);
          options.onProgress?.({ rows: next.value.rowsRead, bytes: next.value.bytesRead });
        } while (rows < bounds.rows && performance.now() - started < bounds.ms);
        return false;
      });
    }
  } finally {
    // Stops the parser (and its worker) when a write failed before the file was read.
    if (!isRead) await parsed.return?.();
  }
  await writer.finish(report.imported + report.updated);
  return report;
}

/** Writes one parsed batch and adds what it did to the report; answers the rows written. */
async function writeBatch(tx: ImportTx, batch: ParsedBatch, context: BatchContext, report: ImportReport) {
  report.invalid += batch.invalid;
  report.duplicates += batch.duplicates;
  if (batch.rows.length === 0) {
    listErrors(report, batch.errors);
    return 0;
  }
  const outcome = await writeImportBatch(tx, batch.rows, context);
  report.imported += outcome.imported;
  report.updated += outcome.updated;
  report.duplicates += outcome.duplicates;
  // A refused row counts as invalid, as a row the parser refused does.
  report.invalid += outcome.refused.length;
  listErrors(
    report,
    [...batch.errors, ...outcome.refused].sort((a, b) => a.row - b.row),
  );
  return batch.rows.length;
}

/** Lists refusals in file order, up to MAX_REPORTED_ERRORS in all; the counts stay exact beyond. */
function listErrors(report: ImportReport, errors: readonly RowError[]): void {
  const room = MAX_REPORTED_ERRORS - report.errors.length;
  if (room > 0) report.errors.push(...errors.slice(0, room));
}
