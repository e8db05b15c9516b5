import { AsyncQueue } from '../app/async-queue.ts';
import type { TemplateDefinition } from '../domain/template.ts';
import { startModuleWorker } from '../module-worker.ts';
import type { CampaignRecord } from '../store/campaigns-repo.ts';
import type { MaterialisedPage } from './materialise-pages.ts';
import { decodePage, type FromMaterialiseWorker, type MaterialiseWorkerData } from './materialise-worker-protocol.ts';

// Enough pages ahead that the writer never waits for the reader, few enough to stay small.
const PAGES_AHEAD = 4;
// A few pages of rows need little old space; the young generation is the main thread's default,
// since rendering makes short-lived objects fast (at 8 MB, collections would take a seventh of the worker).
const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 48 };

/**
 * A campaign's pages read and rendered by a worker thread on its own connection to the SQLite
 * file at `path`, starting after contact `afterId`, on the caller's `clock`; the caller writes
 * them. Stopping the loop early (a pause) stops the worker.
 */
export async function* pagesFromWorker(
  path: string,
  campaign: CampaignRecord,
  template: TemplateDefinition,
  clock: () => number,
  afterId: number,
): AsyncGenerator<MaterialisedPage> {
  const clockOffsetMs = clock() - Date.now();
  const data: MaterialiseWorkerData = { path, campaign, template, afterId, clockOffsetMs, pagesAhead: PAGES_AHEAD };
  const worker = startModuleWorker(new URL('./materialise-worker.ts', import.meta.url), data, resourceLimits);
  const pages = new AsyncQueue<MaterialisedPage>();
  worker.on('message', (message: FromMaterialiseWorker) => {
    if (message.type === 'page') pages.push(decodePage(message.page));
    else if (message.type === 'done') pages.end();
    else pages.fail(new Error(`materialising campaign ${campaign.id} failed: ${message.message}`));
  });
  worker.on('error', (error) => pages.fail(error));
  worker.on('exit', (code) => pages.fail(new Error(`the materialise worker stopped (exit code ${code})`)));
  try {
    for await (const page of pages) {
      yield page;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}
