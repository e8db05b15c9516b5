import os from 'node:os';
import { type ParseSettings, parseInWorker } from './parse-in-worker.ts';
import { openContactCsv, type ParsedBatch, readRowBatches } from './row-batches.ts';

/**
 * Where rows are parsed: `auto` starts a worker thread for inputs over WORKER_MIN_BYTES on a
 * machine with two cores or more, else parses inline.
 */
export type ParseMode = 'auto' | 'worker' | 'inline';

/** Starting a worker costs a few hundred ms; files smaller than this are parsed inline. */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;

/**
 * Opens a contacts CSV and answers its rows in write batches, parsed in a worker thread for large
 * inputs (so the caller's writes and the parsing share the two cores) or inline for small ones.
 * Both run the same readRowBatches, so the batches are the same either way.
 */
export async function readContactRows(
  input: AsyncIterable<Uint8Array | string>,
  settings: ParseSettings,
  mode: ParseMode,
): Promise<AsyncIterable<ParsedBatch>> {
  const iterator = input[Symbol.asyncIterator]();
  // The worker splits parsing from writing over two threads for about 4 % more CPU (copies between
  // threads, a second heap): 1M rows in 14.6 s against 22.2 s inline on 2 cores (docs/benchmarks.md).
  const isAuto = mode === 'auto' && os.availableParallelism() >= 2;
  const head = isAuto ? await readAhead(iterator, WORKER_MIN_BYTES) : { chunks: [], isEnded: false };
  const source = replay(head.chunks, head.isEnded ? undefined : iterator);
  if (mode === 'worker' || (isAuto && !head.isEnded)) return parseInWorker(source, settings);
  const csv = await openContactCsv(source, settings.context.columnMapping);
  return readRowBatches(csv, settings.context, settings.batchSize, settings.maxListedErrors);
}

async function readAhead(iterator: AsyncIterator<Uint8Array | string>, limitBytes: number) {
  const chunks: (Uint8Array | string)[] = [];
  let bytes = 0;
  while (bytes < limitBytes) {
    const next = await iterator.next();
    if (next.done) return { chunks, isEnded: true };
    chunks.push(next.value);
    bytes += typeof next.value === 'string' ? Buffer.byteLength(next.value) : next.value.byteLength;
  }
  return { chunks, isEnded: false };
}

async function* replay(
  chunks: readonly (Uint8Array | string)[],
  rest: AsyncIterator<Uint8Array | string> | undefined,
): AsyncGenerator<Uint8Array | string> {
  yield* chunks;
  if (rest) yield* { [Symbol.asyncIterator]: () => rest };
}
