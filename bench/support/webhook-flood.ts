// The webhook flood: Meta posting status webhooks at a steady rate beside a dispatching campaign.
// A real `chorus start` process first sends campaign A to the simulator with webhooks held back,
// so A's messages wait in `accepted`; then campaign B dispatches (its own webhooks flowing) while
// sent, delivered and read for every message of A are posted at `eventsPerSec`. Measured: answer
// times, and whether every event was stored and applied (nothing lost). Shared by
// bench/webhook-flood.ts and its short run in test/e2e/faults-webhook-flood.test.ts.
import { countCompleteMessages, countStoredStatusEvents, waitForCompleteMessages } from './applied-statuses.ts';
import { type BenchStore, startBenchStack } from './bench-stack.ts';
import { readCampaign, startBenchCampaign, waitForCampaign } from './campaign.ts';
import { importBenchContacts } from './contacts.ts';
import { sleep } from './machine.ts';
import { percentile, type ReplayResult, replayAtRate, STATUS_WAVES, statusBatches } from './webhook-replay.ts';

/** How hard and how long to flood. */
export interface FloodOptions {
  seconds: number;
  eventsPerSec: number;
  /** Status updates per POST (Meta puts up to 1,000 in one, §4). */
  batchSize: number;
  /** Campaign B's sender rate while the flood runs. */
  dispatchPerSec: number;
  /** The store Chorus runs on (SQLite unless said). */
  store?: BenchStore;
  /** Give up waiting for the events to be applied after this long. */
  applyTimeoutMs: number;
  /** Hears each step as it ends (the bench prints them). */
  onStep?: (step: string) => void;
}

/** What a flood measured. */
export interface FloodResult {
  replay: ReplayResult;
  messages: number;
  distinctEvents: number;
  storedEvents: number;
  /** Messages of A with sent, delivered and read all recorded. */
  completeMessages: number;
  secondsToApply: number;
  /** Sends of campaign B per second during the flood. */
  dispatchedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Runs one flood on a fresh stack and answers its figures. */
export async function runWebhookFlood(options: FloodOptions): Promise<FloodResult> {
  const messageCount = Math.ceil((options.seconds * options.eventsPerSec) / STATUS_WAVES.length);
  const background = options.dispatchPerSec * (options.seconds + 30);
  const began = performance.now();
  const step = (what: string) => options.onStep?.(`${((performance.now() - began) / 1000).toFixed(1)} s: ${what}`);
  // Campaign A goes out with no rate limit; the sender is held to dispatchPerSec for B.
  const stack = await startBenchStack(
    'webhook-flood',
    0,
    async (setup) => {
      await importBenchContacts(setup, messageCount, 'flooded');
      await importBenchContacts(setup, background, 'background', messageCount);
    },
    options.store,
  );
  const { sim, reader } = stack;
  step(`stack up with ${(messageCount + background).toLocaleString('en')} contacts`);
  try {
    await sim.setWebhookUrl(undefined);
    const a = await startBenchCampaign(stack.chorus, 'flooded', 'flooded');
    await waitForCampaign(stack.chorus, a, (c) => c.status === 'completed', 600_000);
    step(`campaign A sent: ${messageCount.toLocaleString('en')} messages waiting for their webhooks`);
    const messages = (
      await reader.db
        .selectFrom('messages')
        .select(['id', 'wamid', 'phone'])
        .where('campaign_id', '=', Number(a))
        .orderBy('id')
        .execute()
    ).map((r) => ({ id: r.id, wamid: r.wamid as string, phone: r.phone }));
    const batches = statusBatches(messages, options.batchSize);
    // The default sender's rate comes from WA_MPS, read at start.
    const chorus = await stack.restartChorus(options.dispatchPerSec);
    await sim.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    const b = await startBenchCampaign(chorus, 'background', 'background');
    while ((await sim.stats()).accepted < messages.length + options.dispatchPerSec) await sleep(100);
    const acceptedBefore = (await sim.stats()).accepted;
    step('campaign B dispatching; the flood begins');
    const started = performance.now();
    const replay = await replayAtRate(
      `${chorus.url}/webhooks/whatsapp`,
      batches,
      options.eventsPerSec / options.batchSize,
      256,
    );
    const dispatchedPerSec = ((await sim.stats()).accepted - acceptedBefore) / replay.seconds;
    await waitForCompleteMessages(reader.db, Number(a), messages.length, options.applyTimeoutMs, 50);
    const secondsToApply = (performance.now() - started) / 1000;
    step('flood answered and applied');
    const storedEvents = await countStoredStatusEvents(reader.db, Number(a));
    await readCampaign(chorus, b);
    return {
      replay,
      messages: messages.length,
      distinctEvents: messages.length * STATUS_WAVES.length,
      storedEvents,
      completeMessages: await countCompleteMessages(reader.db, Number(a)),
      secondsToApply,
      dispatchedPerSec,
      p50Ms: percentile(replay.latenciesMs, 0.5),
      p99Ms: percentile(replay.latenciesMs, 0.99),
      maxMs: percentile(replay.latenciesMs, 1),
    };
  } finally {
    await sim.setWebhookUrl(undefined).catch(() => undefined);
    await stack.close();
  }
}
