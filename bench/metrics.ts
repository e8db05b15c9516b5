// bench:metrics — what one /metrics scrape costs with a million messages stored. A real `chorus
// start` process materialises a campaign of N recipients and sends it at 80 msg/s, so nearly all of
// it stays pending while it runs; then the bench scrapes /metrics. A cold scrape (the database
// figures older than their 5 s cache) counts the running campaign's messages by status on a
// background SQLite connection; a warm one serves the cached figures. Whether the count held the
// thread that serves requests, sends and applies webhooks, Chorus's own event-loop lag says
// (prom-client's nodejs_eventloop_lag_max_seconds, reset at each scrape): the cold scrape reports
// the lag of the quiet seconds before it, a scrape right after reports the lag while it counted.
// For comparison the bench times the same counts on a connection of its own, one thread: what the
// serving thread would be held for if they ran there.
// Usage: npm run bench:metrics -- [--messages N] [--samples N] [--rate MPS]
import { readInboxBacklog, readRunningCampaignCounts } from '../src/store/metrics-repo.ts';
import { numberOption } from './support/args.ts';
import { type BenchStack, startMaterialisedCampaign } from './support/bench-stack.ts';
import { readCampaign } from './support/campaign.ts';
import { describeMachine, sleep } from './support/machine.ts';
import { median } from './support/median.ts';
import { metricValue, scrapeMetrics } from './support/metrics-scrape.ts';

const MESSAGES = numberOption('--messages', 1_000_000);
const SAMPLES = numberOption('--samples', 5);
const RATE = numberOption('--rate', 80);
const CACHE_MS = 5_000;
const WARM_SCRAPES = 20;

async function main(): Promise<void> {
  console.log(`bench:metrics — ${describeMachine()}`);
  const { stack, campaignId: id } = await startMaterialisedCampaign('metrics', MESSAGES, RATE);
  const { chorus, reader } = stack;
  try {
    const rssBefore = chorus.rssMb();
    await scrapeMetrics(chorus.url);
    const cold: { ms: number; readMs: number; quietLagMs: number; countingLagMs: number }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await sleep(CACHE_MS + 100);
      const { ms, text } = await scrapeMetrics(chorus.url);
      const after = await scrapeMetrics(chorus.url);
      cold.push({
        ms,
        readMs: metricValue(text, 'chorus_metrics_database_read_seconds') * 1000,
        quietLagMs: metricValue(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        countingLagMs: metricValue(after.text, 'nodejs_eventloop_lag_max_seconds') * 1000,
      });
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM_SCRAPES; i++) warm.push((await scrapeMetrics(chorus.url)).ms);
    const onThread = await timeCountsOnOneThread(reader, Number(id));
    const final = await readCampaign(chorus, id);
    console.log(
      `campaign of ${MESSAGES.toLocaleString('en')} messages running at ${RATE} msg/s ` +
        `(${(final.counts.pending ?? 0).toLocaleString('en')} pending at the end); ${SAMPLES} cold scrapes, ${WARM_SCRAPES} warm`,
    );
    console.table({
      'cold scrape (counts read)': {
        'p50 ms': round(median(cold.map((c) => c.ms))),
        'max ms': round(Math.max(...cold.map((c) => c.ms))),
        'database read ms (p50)': round(median(cold.map((c) => c.readMs))),
      },
      'warm scrape (cached)': { 'p50 ms': round(median(warm)), 'max ms': round(Math.max(...warm)) },
    });
    console.log("Chorus's event-loop lag (the serving thread held up):");
    console.table({
      'quiet 5 s before a cold scrape': { 'max ms (p50 of samples)': round(median(cold.map((c) => c.quietLagMs))) },
      'while a cold scrape counted': { 'max ms (p50 of samples)': round(median(cold.map((c) => c.countingLagMs))) },
    });
    console.log(
      `  the same counts on one thread (what the serving thread would be held for): ${round(onThread)} ms; ` +
        `Chorus RSS ${round(rssBefore)} MB before the first scrape, ${round(chorus.rssMb())} MB after`,
    );
  } finally {
    await stack.close();
  }
}

/** The database figures read on the bench's own connection, in one thread, timed. */
async function timeCountsOnOneThread(reader: BenchStack['reader'], campaignId: number) {
  const started = performance.now();
  await readRunningCampaignCounts(reader.db, [{ id: campaignId, senderId: 'default' }], Date.now());
  await readInboxBacklog(reader.db);
  return performance.now() - started;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
