import type { RowContext } from '../domain/contact-row.ts';
import type { EncodedBatch } from './row-batch-codec.ts';

/** What the parse worker is started with. */
export interface ParseWorkerData {
  /** The worker module: the compiled build runs it directly; from sources a boot file registers the TypeScript loader, then imports it. */
  entry: string;
  context: RowContext;
  batchSize: number;
  maxListedErrors: number;
  /** Batches the worker may run ahead of the writer before it waits for an ack. */
  batchesAhead: number;
}

/** Main thread → worker: file bytes, their end, and "one batch written". */
export type ToParseWorker = { type: 'chunk'; chunk: Uint8Array | string } | { type: 'end' } | { type: 'ack' };

/** An error as it crosses threads; `code` and `field` rebuild an AppError. */
export interface ThreadError {
  message: string;
  code?: string;
  field?: string;
}

/** Worker → main thread: "send one more chunk", the header was fine, a batch, the end, or a failure. */
export type FromParseWorker =
  | { type: 'pull' }
  | { type: 'header' }
  | { type: 'batch'; batch: EncodedBatch }
  | { type: 'done' }
  | { type: 'fail'; error: ThreadError };
