import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { TemplateDefinition } from '../domain/template.ts';
import { type CampaignRecord, getCampaign } from '../store/campaigns-repo.ts';
import type { Database } from '../store/db.ts';
import { writeMaterializedBatch } from '../store/materialized-batch.ts';
import { skipPendingMessages } from '../store/outbox-repo.ts';
import { pagesFromWorker } from './materialise-in-worker.ts';
import { campaignPages, type MaterialisedPage } from './materialise-pages.ts';

export { MATERIALISE_BATCH } from './materialise-pages.ts';

/**
 * Audiences from this size are read and rendered by a worker thread on the second core while
 * this thread writes (a million rows in about half the time). Smaller ones take a few seconds
 * inline, while their first messages already go out, and do not pay for a second isolate (~35 MB).
 */
export const WORKER_MIN_AUDIENCE = 250_000;

/** How a campaign is materialised; tests move the threshold for the worker. */
export interface MaterialiseOptions {
  workerMinAudience?: number;
}

/**
 * Turns a running campaign's audience into message rows: one per contact, `pending` with its
 * rendered template, or `skipped` with the reason. Resumes from its checkpoint after a crash, and
 * stops between batches if the campaign is paused or cancelled.
 */
export async function materialiseCampaign(
  database: Database,
  campaign: CampaignRecord,
  template: TemplateDefinition,
  clock: () => number,
  options: MaterialiseOptions = {},
): Promise<void> {
  // A worker reads the SQLite file on a connection of its own; PostgreSQL's reads are the
  // server's work already, and an in-memory database has no file to share.
  const file = database.sqlite?.name;
  const isLarge = campaign.audienceSize >= (options.workerMinAudience ?? WORKER_MIN_AUDIENCE);
  const afterId = campaign.materializedThrough ?? 0;
  const pages =
    file !== undefined && file !== ':memory:' && isLarge
      ? pagesFromWorker(file, campaign, template, clock, afterId)
      : campaignPages(database, campaign, template, clock, afterId);
  await writePages(database, campaign.id, pages);
}

// Writes pages until the audience ends or the campaign stops running.
async function writePages(database: Database, campaignId: number, pages: AsyncIterable<MaterialisedPage>) {
  for await (const page of pages) {
    await writeMaterializedBatch(database, {
      campaignId,
      messages: page.messages,
      throughContactId: page.throughId,
      isLast: page.isLast,
      now: page.now,
    });
    const current = await getCampaign(database.db, campaignId);
    // A cancel that raced this batch must not leave its rows waiting forever.
    if (current?.status === 'cancelled')
      await skipPendingMessages(database.db, campaignId, 'campaign cancelled', page.now);
    if (page.isLast || current?.status !== 'running') return;
    // Materialising runs beside the sends it feeds: SQLite's driver is synchronous, so without a
    // turn of the event loop between batches the dispatcher would wait for the whole audience.
    await nextTurnOfEventLoop();
  }
}
