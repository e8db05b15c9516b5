import type { Worker } from 'node:worker_threads';
import type { RowContext } from '../domain/contact-row.ts';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { startModuleWorker } from '../module-worker.ts';
import { AsyncQueue } from './async-queue.ts';
import type { FromParseWorker, ParseWorkerData, ThreadError, ToParseWorker } from './parse-worker-protocol.ts';
import { decodeBatch } from './row-batch-codec.ts';
import type { ParsedBatch } from './row-batches.ts';

/** How the worker batches rows. */
export interface ParseSettings {
  context: RowContext;
  batchSize: number;
  maxListedErrors: number;
}

// Chunks sent ahead of the parser, and batches parsed ahead of the writer: enough that neither
// thread waits for the other, few enough that memory stays flat however long the file.
const CHUNKS_AHEAD = 4;
const BATCHES_AHEAD = 2;
// A fresh isolate grows its heap lazily to well over 100 MB; a cap keeps the import's memory
// flat. A few batches need little old space; the young generation is sized for the short-lived
// records: at 16 MB collections take a sixth of the thread and the worker costs a quarter more
// CPU than parsing inline, at 48 MB the import's peak RSS passes its 256 MB target.
const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 32 };

/**
 * Parses and validates in a worker thread while the caller writes: resolves once the header is
 * read (or rejects with its `invalid_csv` error), then yields the batches in file order.
 */
export async function parseInWorker(
  input: AsyncIterable<Uint8Array | string>,
  settings: ParseSettings,
): Promise<AsyncIterable<ParsedBatch>> {
  const worker = startWorker({ ...settings, batchesAhead: BATCHES_AHEAD });
  const send = (message: ToParseWorker) => worker.postMessage(message);
  const batches = new AsyncQueue<ParsedBatch>();
  let resolveHeader: () => void = () => {};
  let rejectHeader: (error: unknown) => void = () => {};
  const header = new Promise<void>((resolve, reject) => {
    resolveHeader = resolve;
    rejectHeader = reject;
  });
  const fail = (error: unknown) => {
    rejectHeader(error);
    batches.fail(error);
  };
  const pump = createPump(input[Symbol.asyncIterator](), send, fail);
  worker.on('message', (message: FromParseWorker) => {
    if (message.type === 'pull') pump(1);
    else if (message.type === 'header') resolveHeader();
    else if (message.type === 'batch') batches.push(decodeBatch(message.batch));
    else if (message.type === 'done') batches.end();
    else fail(fromThreadError(message.error));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the CSV parse worker stopped (exit code ${code})`)));
  pump(CHUNKS_AHEAD);
  try {
    await header;
  } catch (error) {
    void worker.terminate();
    throw error;
  }
  return acknowledged(batches, worker, send);
}

function startWorker(settings: Omit<ParseWorkerData, 'entry'>): Worker {
  return startModuleWorker(new URL('./import-parse-worker.ts', import.meta.url), settings, resourceLimits);
}

async function* acknowledged(batches: AsyncQueue<ParsedBatch>, worker: Worker, send: (m: ToParseWorker) => void) {
  try {
    for await (const batch of batches) {
      yield batch;
      send({ type: 'ack' });
    }
  } finally {
    void worker.terminate();
  }
}

// Reads the input one chunk per request, in order, never two reads at once.
function createPump(
  iterator: AsyncIterator<Uint8Array | string>,
  send: (message: ToParseWorker) => void,
  fail: (error: unknown) => void,
): (count: number) => void {
  let wanted = 0;
  let isReading = false;
  let isEnded = false;
  const read = async () => {
    isReading = true;
    try {
      while (wanted > 0 && !isEnded) {
        const next = await iterator.next();
        wanted--;
        if (next.done) isEnded = true;
        send(next.done ? { type: 'end' } : { type: 'chunk', chunk: next.value });
      }
    } catch (error) {
      isEnded = true;
      fail(error);
    }
    isReading = false;
  };
  return (count) => {
    wanted += count;
    if (!isReading) void read();
  };
}

function fromThreadError(error: ThreadError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new AppError(error.code as ErrorCode, error.message, { field: error.field });
}
