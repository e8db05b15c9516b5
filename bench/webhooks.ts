// bench:webhooks — status webhook ingest while a campaign dispatches. A real `chorus start` process
// first sends campaign A to the simulator with webhooks held back, so A's messages wait in
// `accepted`. Then campaign B starts dispatching (its webhooks flowing normally), and the bench
// replays sent → delivered → read for every message of A as signed batches to /webhooks/whatsapp,
// with 1% of events repeated (Meta expects duplicates). Measured: events applied per second, the
// answer times, and exact counts at the end (every event stored once, every message of A `read`).
// Usage: npm run bench:webhooks -- [--messages N] [--batch N] [--concurrency N] [--rate MPS]
import { countCompleteMessages, countStoredStatusEvents, waitForCompleteMessages } from './support/applied-statuses.ts';
import { numberOption } from './support/args.ts';
import { startBenchStack } from './support/bench-stack.ts';
import { formatCounts, readCampaign, startBenchCampaign, waitForCampaign } from './support/campaign.ts';
import { importBenchContacts } from './support/contacts.ts';
import { describeMachine, sleep } from './support/machine.ts';
import { latencyTimeline, percentile, replay, STATUS_WAVES, statusBatches } from './support/webhook-replay.ts';

const MESSAGES = numberOption('--messages', 50_000);
const BATCH = numberOption('--batch', 100);
const CONCURRENCY = numberOption('--concurrency', 4);
const BACKGROUND = numberOption('--background', 100_000);
// Campaign B's sender rate: Meta's ceiling for one number, 1,000 msg/s, the most a real sender
// dispatches while its webhooks arrive. --rate 0 lifts the limit: B then takes all the CPU it can
// (bench:dispatch measures that), and the figures here show how ingest shares a saturated process.
const RATE = numberOption('--rate', 1_000);

async function main(): Promise<void> {
  console.log(`bench:webhooks — ${describeMachine()}`);
  const stack = await startBenchStack('webhooks', RATE, async (setup) => {
    await importBenchContacts(setup, MESSAGES, 'replayed');
    await importBenchContacts(setup, BACKGROUND, 'background', MESSAGES);
  });
  const { sim, chorus, reader } = stack;
  try {
    // Campaign A: sent with webhooks held back, so its messages wait for ours.
    await sim.setWebhookUrl(undefined);
    const a = await startBenchCampaign(chorus, 'replayed', 'replayed');
    await waitForCampaign(chorus, a, (c) => c.status === 'completed', 300_000);
    const rows = await reader.db
      .selectFrom('messages')
      .select(['id', 'wamid', 'phone'])
      .where('campaign_id', '=', Number(a))
      .orderBy('id')
      .execute();
    const messages = rows.map((r) => ({ id: r.id, wamid: r.wamid as string, phone: r.phone }));
    const batches = statusBatches(messages, BATCH);
    const totalEvents = batches.reduce((n, b) => n + b.events, 0);
    // Campaign B dispatches while we replay; its own webhooks flow as usual.
    await sim.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    const b = await startBenchCampaign(chorus, 'background', 'background');
    while ((await sim.stats()).accepted < messages.length + 2_000) await sleep(100);
    const acceptedBefore = (await sim.stats()).accepted;
    const replayStarted = performance.now();
    const result = await replay(`${chorus.url}/webhooks/whatsapp`, batches, CONCURRENCY);
    const backgroundRate = ((await sim.stats()).accepted - acceptedBefore) / result.seconds;
    // Answered is not applied: sent/delivered/read wait in the inbox for moments after the 200.
    // The rate counts until the last of them reached its message.
    await waitForCompleteMessages(reader.db, Number(a), messages.length, 60_000, 20);
    const appliedSeconds = (performance.now() - replayStarted) / 1000;
    const background = await readCampaign(chorus, b);
    const stored = await countStoredStatusEvents(reader.db, Number(a));
    const final = await readCampaign(chorus, a);
    const complete = await countCompleteMessages(reader.db, Number(a));
    const distinct = messages.length * STATUS_WAVES.length;
    console.log(
      `replayed ${totalEvents.toLocaleString('en')} status events (${distinct.toLocaleString('en')} distinct + ` +
        `${(totalEvents - distinct).toLocaleString('en')} repeats) for ${messages.length.toLocaleString('en')} messages, ` +
        `${BATCH} per signed batch, ${CONCURRENCY} POSTs in flight, while campaign B dispatched at ` +
        `${Math.round(backgroundRate).toLocaleString('en')} msg/s (limit ${RATE || 'off'}; B: ${formatCounts(background.counts)})`,
    );
    console.table({
      'events applied/s': Math.round(result.events / appliedSeconds),
      'seconds to answer all': Number(result.seconds.toFixed(2)),
      'seconds to apply all': Number(appliedSeconds.toFixed(2)),
      'answer p50 ms': Number(percentile(result.latenciesMs, 0.5).toFixed(1)),
      'answer p99 ms': Number(percentile(result.latenciesMs, 0.99).toFixed(1)),
      'answer max ms': Number(percentile(result.latenciesMs, 1).toFixed(1)),
      'non-200 answers': result.non200,
      'events stored (expected)': `${stored} (${distinct})`,
      'messages read with all 3 times (expected)': `${complete} (${messages.length})`,
    });
    console.log(`  campaign A final: ${formatCounts(final.counts)}`);
    console.log(`  answer p50/p99 ms by second: ${latencyTimeline(result, 1_000)}`);
    await sim.setWebhookUrl(undefined);
  } finally {
    await stack.close();
  }
}

await main();
