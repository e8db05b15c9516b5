// The materialise worker: reads a campaign's audience and renders its messages on a thread and a
// SQLite connection of its own, and posts the pages to the main thread, which writes them.
import { parentPort, workerData } from 'node:worker_threads';
import { RunAheadCredits } from '../module-worker.ts';
import { openDatabase } from '../store/db.ts';
import { campaignPages } from './materialise-pages.ts';
import { encodePage, type FromMaterialiseWorker, type MaterialiseWorkerData } from './materialise-worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('materialise-worker runs only as a worker thread');
const data = workerData as MaterialiseWorkerData;
const post = (message: FromMaterialiseWorker) => port.postMessage(message);
const credits = new RunAheadCredits(data.pagesAhead);
port.on('message', () => credits.give());

const database = openDatabase({ kind: 'sqlite', path: data.path });
try {
  const clock = () => Date.now() + data.clockOffsetMs;
  for await (const page of campaignPages(database, data.campaign, data.template, clock, data.afterId)) {
    await credits.take();
    post({ type: 'page', page: encodePage(page) });
  }
  post({ type: 'done' });
} catch (error) {
  post({ type: 'fail', message: error instanceof Error ? error.message : String(error) });
} finally {
  await database.close();
}
