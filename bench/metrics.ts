// bench:metrics — what one /metrics scrape costs with a million messages stored. A real `chorus
// start` process materialises a campaign of N recipients and sends it at 80 msg/s, so nearly all of
// it stays pending while it runs; then the bench scrapes /metrics. A cold scrape (the database
// figures older than their 5 s cache) counts the running campaign's messages by status on a
// background SQLite connection; a warm one serves the cached figures. During each cold scrape the
// bench pings /healthz every 10 ms: its answer times show whether the count held the thread that
// serves requests, sends and applies webhooks. For comparison it times the same counts run on a
// connection of its own, as they would block the serving thread if they ran there.
// Usage: npm run bench:metrics -- [--messages N] [--samples N] [--rate MPS]
import { readInboxBacklog, readRunningCampaignCounts } from '../src/store/metrics-repo.ts';
import { readCampaign, startBenchCampaign, waitForCampaign } from './support/campaign.ts';
import { importBenchContacts } from './support/contacts.ts';
import { describeMachine, sleep } from './support/machine.ts';
import { median } from './support/median.ts';
import { startSqliteStack } from './support/sqlite-stack.ts';
import { percentile } from './support/webhook-replay.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const MESSAGES = option('--messages', 1_000_000);
const SAMPLES = option('--samples', 5);
const RATE = option('--rate', 80);
const CACHE_MS = 5_000;
const WARM_SCRAPES = 20;
const PING_EVERY_MS = 10;

async function main(): Promise<void> {
  console.log(`bench:metrics — ${describeMachine()}`);
  const stack = await startSqliteStack('metrics', RATE, async (setup) => {
    const imported = await importBenchContacts(setup, MESSAGES, 'm');
    console.log(`imported ${MESSAGES.toLocaleString('en')} contacts in ${imported.seconds.toFixed(1)} s`);
  });
  const { chorus, reader } = stack;
  try {
    const id = await startBenchCampaign(chorus, 'metrics', 'm');
    const materialised = await waitForCampaign(chorus, id, (c) => c.total >= MESSAGES, 900_000);
    if (materialised.total < MESSAGES) throw new Error(`only ${materialised.total} messages materialised`);
    const rssBefore = chorus.rssMb();
    const quiet = await pingHealthz(chorus.url, 50);
    await scrape(chorus.url);
    const cold: { ms: number; readMs: number; pingMaxMs: number; pingP50Ms: number }[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      await sleep(CACHE_MS + 100);
      cold.push(await coldScrape(chorus.url));
    }
    const warm: number[] = [];
    for (let i = 0; i < WARM_SCRAPES; i++) warm.push((await scrape(chorus.url)).ms);
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
    console.table({
      '/healthz, no scrape': { 'p50 ms': round(percentile(quiet, 0.5)), 'max ms': round(Math.max(...quiet)) },
      '/healthz during cold scrapes': {
        'p50 ms': round(median(cold.map((c) => c.pingP50Ms))),
        'max ms': round(Math.max(...cold.map((c) => c.pingMaxMs))),
      },
    });
    console.log(
      `  the same counts on one thread (what the serving thread would be held for): ${round(onThread)} ms; ` +
        `Chorus RSS ${round(rssBefore)} MB before the first scrape, ${round(chorus.rssMb())} MB after`,
    );
  } finally {
    await stack.close();
  }
}

async function scrape(url: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const answer = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer bench-api-key-0123456789' } });
  const text = await answer.text();
  if (answer.status !== 200) throw new Error(`/metrics answered ${answer.status}: ${text}`);
  return { ms: performance.now() - started, text };
}

/** One scrape whose database figures are stale, with /healthz pinged every 10 ms while it runs. */
async function coldScrape(url: string) {
  let isDone = false;
  const pings: number[] = [];
  const pinger = (async () => {
    while (!isDone) {
      pings.push(...(await pingHealthz(url, 1)));
      await sleep(PING_EVERY_MS);
    }
  })();
  const { ms, text } = await scrape(url);
  isDone = true;
  await pinger;
  const readSeconds = Number(/^chorus_metrics_database_read_seconds (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  return { ms, readMs: readSeconds * 1000, pingMaxMs: Math.max(...pings), pingP50Ms: percentile(pings, 0.5) };
}

async function pingHealthz(url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    times.push(performance.now() - started);
  }
  return times;
}

/** The database figures read on the bench's own connection, in one thread, timed. */
async function timeCountsOnOneThread(
  reader: Awaited<ReturnType<typeof startSqliteStack>>['reader'],
  campaignId: number,
) {
  const started = performance.now();
  await readRunningCampaignCounts(reader.db, [{ id: campaignId, senderId: 'default' }], Date.now());
  await readInboxBacklog(reader.db);
  return performance.now() - started;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

await main();
