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
 * Pages materialised on the main thread before a worker thread takes over the reading and
 * rendering: a campaign of up to 10,000 contacts never starts one (a thread costs ~100 ms and
 * tens of MB), a larger one is read and rendered on the second core while this thread writes.
 */
export const INLINE_PAGES = 20;

/** How a campaign is materialised; tests move the hand-over to the worker. */
export interface MaterialiseOptions {
  inlinePages?: number;
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
  const workerFile = file !== undefined && file !== ':memory:' ? file : undefined;
  const inlinePages = workerFile === undefined ? Number.POSITIVE_INFINITY : (options.inlinePages ?? INLINE_PAGES);
  let afterId = campaign.materializedThrough ?? 0;
  if (inlinePages > 0) {
    const pages = campaignPages(database, campaign, template, clock, afterId);
    const progress = await writePages(database, campaign.id, pages, inlinePages);
    if (progress.isFinished) return;
    afterId = progress.afterId;
  }
  if (workerFile === undefined) return;
  await writePages(database, campaign.id, pagesFromWorker(workerFile, campaign, template, afterId));
}

type Progress = { isFinished: true } | { isFinished: false; afterId: number };

// Writes pages until the audience ends, the campaign stops running, or `limit` pages are written.
async function writePages(
  database: Database,
  campaignId: number,
  pages: AsyncIterable<MaterialisedPage>,
  limit = Number.POSITIVE_INFINITY,
): Promise<Progress> {
  let written = 0;
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
    if (page.isLast || current?.status !== 'running') return { isFinished: true };
    if (++written >= limit) return { isFinished: false, afterId: page.throughId };
    // Materialising runs beside the sends it feeds: SQLite's driver is synchronous, so without a
    // turn of the event loop between batches the dispatcher would wait for the whole audience.
    await nextTurnOfEventLoop();
  }
  return { isFinished: true };
}
