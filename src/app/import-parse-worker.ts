// The parse worker: reads the CSV bytes the main thread sends, validates and batches the rows,
// and posts the batches back, so parsing and writing run on both cores at once.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../domain/errors.ts';
import { RunAheadCredits } from '../module-worker.ts';
import { AsyncQueue } from './async-queue.ts';
import type { FromParseWorker, ParseWorkerData, ThreadError, ToParseWorker } from './parse-worker-protocol.ts';
import { encodeBatch } from './row-batch-codec.ts';
import { openContactCsv, readRowBatches } from './row-batches.ts';

const port = parentPort;
if (!port) throw new Error('import-parse-worker runs only as a worker thread');
const data = workerData as ParseWorkerData;
const post = (message: FromParseWorker) => port.postMessage(message);
const chunks = new AsyncQueue<Uint8Array | string>();
const credits = new RunAheadCredits(data.batchesAhead);

port.on('message', (message: ToParseWorker) => {
  if (message.type === 'chunk') chunks.push(message.chunk);
  else if (message.type === 'end') chunks.end();
  else credits.give();
});

// Each chunk taken asks for the next, so the main thread keeps a fixed window of bytes in flight.
async function* input(): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of chunks) {
    post({ type: 'pull' });
    yield chunk;
  }
}

function toThreadError(error: unknown): ThreadError {
  if (error instanceof AppError) return { message: error.message, code: error.code, field: error.field };
  return { message: error instanceof Error ? error.message : String(error) };
}

try {
  const csv = await openContactCsv(input(), data.context.columnMapping);
  post({ type: 'header' });
  for await (const batch of readRowBatches(csv, data.context, data.batchSize, data.maxListedErrors)) {
    await credits.take();
    post({ type: 'batch', batch: encodeBatch(batch) });
  }
  post({ type: 'done' });
} catch (error) {
  post({ type: 'fail', error: toThreadError(error) });
}
