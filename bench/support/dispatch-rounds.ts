// Chorus against a bare client at one simulator, in alternating short rounds (bench:dispatch).
// The machine's speed drifts within a minute, so one long run per side would compare two
// machines: each round pair is compared on its own and the median ratio is reported, as
// bench:client does. Both sides take the same webhook traffic: the simulator posts the status
// webhooks of Chorus's sends to Chorus, and those of the bare client's sends to a sink that only
// answers 200. Between rounds the campaign is paused and everything settles (sends answered,
// webhooks delivered and applied), so neither side's tail runs into the other's round.
import type { CloudApiClient } from '../../src/cloud-api/cloud-api-client.ts';
import { benchClient, orderUpdate } from './bench-client.ts';
import { readCampaign, setBenchCampaignRunning } from './campaign.ts';
import { type ChorusProcess, threadCpuSeconds } from './chorus-process.ts';
import { sleep } from './machine.ts';
import { metricValue, scrapeMetrics } from './metrics-scrape.ts';
import type { SimProcess } from './sim-process.ts';
import { startWebhookSink, type WebhookSink } from './webhook-sink.ts';

/** What the rounds run against: a running campaign of Chorus's, paused between its rounds. */
export interface RoundsSetup {
  sim: SimProcess;
  chorus: ChorusProcess;
  campaignId: string;
  rounds: number;
  roundMs: number;
  /** Requests in flight for the bare client: as many as Chorus's dispatcher keeps. */
  inFlight: number;
  /** Called with one line per finished round pair. */
  report(line: string): void;
}

/**
 * One round each: messages per second accepted by the simulator; status webhook events the
 * simulator delivered within the round per message it accepted there (like for like: both sides
 * take their webhooks as they send, not after); the CPU each side's processes spent a message;
 * how long Chorus's event loop was held.
 */
export interface RoundPair {
  chorus: SideRound;
  bare: SideRound;
  chorusLag: EventLoopLag;
}

/** A side's round: its rate, and the webhook events delivered and the CPU spent within it a message accepted. */
export interface SideRound {
  rate: number;
  eventsPerMessage: number;
  /** CPU µs a message: the sending process's threads together (Chorus, or the bare client with its webhook receiver), and the simulator's. */
  cpu: { sender: number; simulator: number };
}

/** Chorus's event-loop lag over a round (prom-client's, reset at each scrape), in ms. */
export interface EventLoopLag {
  p99Ms: number;
  maxMs: number;
}

/** The round pairs, and the webhook events that went to the bare client's sink (not to Chorus). */
export interface RoundsResult {
  pairs: RoundPair[];
  bareWebhookEvents: number;
}

const SETTLE_TIMEOUT_MS = 120_000;

/** Pauses the campaign and runs round pairs, alternating which side goes first, while it has messages left. */
export async function alternateRounds(setup: RoundsSetup): Promise<RoundsResult> {
  const sink = await startWebhookSink();
  const client = benchClient(setup.sim.url, setup.inFlight);
  const chorusHookUrl = `${setup.chorus.url}/webhooks/whatsapp`;
  const bare = new BareRounds(setup, client, sink, chorusHookUrl);
  const chorus = new ChorusRounds(setup, chorusHookUrl);
  try {
    // A second of the running campaign gives the first estimate of Chorus's rate.
    const warm = await simReadingNow(setup.sim, chorus.cpu);
    await sleep(1_000);
    let chorusPerSec = rateSince(warm, await simReadingNow(setup.sim, chorus.cpu));
    await chorus.pause();
    await bare.run(); // connections and JIT, not counted
    const pairs: RoundPair[] = [];
    for (let round = 0; round < setup.rounds; round++) {
      // Stop before the campaign could run dry within a round, which would cut its rate short.
      const pending = (await readCampaign(setup.chorus, setup.campaignId)).counts.pending ?? 0;
      if (pending < 1.5 * chorusPerSec * (setup.roundMs / 1000) + 1_000) break;
      const isChorusFirst = round % 2 === 0;
      const chorusRound = isChorusFirst ? await chorus.run() : undefined;
      const bareRound = await bare.run();
      const { lag, ...chorusSide } = chorusRound ?? (await chorus.run());
      const pair = { chorus: chorusSide, bare: bareRound, chorusLag: lag };
      chorusPerSec = chorusSide.rate;
      pairs.push(pair);
      setup.report(
        `round ${round + 1} (${isChorusFirst ? 'Chorus first' : 'bare first'}): Chorus ${perSec(chorusSide.rate)}, ` +
          `bare client ${perSec(bareRound.rate)}: ${percent(chorusSide.rate / bareRound.rate)}; ` +
          `webhook events within the round a message: Chorus ${chorusSide.eventsPerMessage.toFixed(2)}, ` +
          `bare ${bareRound.eventsPerMessage.toFixed(2)}; CPU a message: Chorus ${micros(chorusSide.cpu.sender)} + ` +
          `simulator ${micros(chorusSide.cpu.simulator)}, bare client and receiver ${micros(bareRound.cpu.sender)} + ` +
          `simulator ${micros(bareRound.cpu.simulator)}; ` +
          `Chorus's event loop held p99 ${pair.chorusLag.p99Ms.toFixed(1)} ms, at most ${pair.chorusLag.maxMs.toFixed(1)} ms`,
      );
    }
    return { pairs, bareWebhookEvents: bare.webhookEvents };
  } finally {
    await setup.sim.setWebhookUrl(chorusHookUrl);
    await client.close();
    await sink.close();
  }
}

/** Chorus's rounds: resume the campaign, count acceptances for a round, pause, settle. */
class ChorusRounds {
  constructor(
    private readonly setup: RoundsSetup,
    private readonly hookUrl: string,
  ) {}

  /** CPU seconds Chorus's threads have used so far. */
  readonly cpu = (): number => {
    const { mainThread, otherThreads } = this.setup.chorus.cpuSeconds();
    return mainThread + otherThreads;
  };

  async run(): Promise<SideRound & { lag: EventLoopLag }> {
    const { sim, chorus, campaignId, roundMs } = this.setup;
    await sim.setWebhookUrl(this.hookUrl);
    await scrapeMetrics(chorus.url); // the lag figures start over
    const before = await simReadingNow(sim, this.cpu);
    await setBenchCampaignRunning(chorus, campaignId, true);
    // From the first acceptance after the resume: the loop's wake-up is not throughput.
    let start = before;
    for (
      const deadline = Date.now() + 30_000;
      start.accepted === before.accepted;
      start = await simReadingNow(sim, this.cpu)
    ) {
      if (Date.now() > deadline) throw new Error('Chorus sent nothing within 30 s of a resume');
      await sleep(5);
    }
    await sleep(roundMs);
    const end = await simReadingNow(sim, this.cpu);
    const { text } = await scrapeMetrics(chorus.url);
    await this.pause();
    const lag = {
      p99Ms: metricValue(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      maxMs: metricValue(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
    };
    return { ...sideRound(start, end), lag };
  }

  /** Pauses the campaign and waits until its sends, their webhooks and Chorus's applying of them are done. */
  async pause(): Promise<void> {
    const { sim, chorus, campaignId } = this.setup;
    await setBenchCampaignRunning(chorus, campaignId, false);
    await settleSimulator(sim);
    let last = '';
    for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; ; await sleep(250)) {
      const counts = JSON.stringify((await readCampaign(chorus, campaignId)).counts);
      if (counts === last) return;
      if (Date.now() > deadline) throw new Error('the campaign did not settle after a pause');
      last = counts;
    }
  }
}

/** The bare client's rounds: CloudApiClient loops with webhooks going to the sink. */
class BareRounds {
  webhookEvents = 0;
  private next = 0;

  constructor(
    private readonly setup: RoundsSetup,
    private readonly client: CloudApiClient,
    private readonly sink: WebhookSink,
    private readonly chorusHookUrl: string,
  ) {}

  async run(): Promise<SideRound> {
    const { sim, roundMs, inFlight } = this.setup;
    await sim.setWebhookUrl(this.sink.url);
    const before = await simReadingNow(sim, ownCpu);
    const signal = new AbortController().signal;
    let sent = 0;
    const started = performance.now();
    const deadline = started + roundMs;
    const loop = async () => {
      while (performance.now() < deadline) {
        const i = this.next++;
        if ((await this.client.send(orderUpdate(i, `bare-${i}`, `C${i}`), signal)).ok) sent++;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, loop));
    const perSecond = sent / ((performance.now() - started) / 1000);
    const end = await simReadingNow(sim, ownCpu);
    await settleSimulator(sim);
    this.webhookEvents += (await sim.stats()).webhooks.eventsDelivered - before.delivered;
    await sim.setWebhookUrl(this.chorusHookUrl);
    return { ...sideRound(before, end), rate: perSecond };
  }
}

/** The simulator's accepted sends and delivered webhook events, the CPU seconds used so far, and when they were read. */
interface SimReading {
  accepted: number;
  delivered: number;
  senderCpu: number;
  simulatorCpu: number;
  atMs: number;
}

async function simReadingNow(sim: SimProcess, senderCpu: () => number): Promise<SimReading> {
  const { accepted, webhooks } = await sim.stats();
  const simulator = threadCpuSeconds(sim.pid);
  return {
    accepted,
    delivered: webhooks.eventsDelivered,
    senderCpu: senderCpu(),
    simulatorCpu: simulator.mainThread + simulator.otherThreads,
    atMs: performance.now(),
  };
}

/** CPU seconds this process (the bare client and its webhook receiver) has used so far. */
function ownCpu(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Acceptances per second between two readings. */
function rateSince(from: SimReading, to: SimReading): number {
  return (to.accepted - from.accepted) / ((to.atMs - from.atMs) / 1000);
}

/** A side's round between two readings. */
function sideRound(from: SimReading, to: SimReading): SideRound {
  const accepted = to.accepted - from.accepted;
  const microsEach = (seconds: number) => (seconds * 1e6) / accepted;
  return {
    rate: rateSince(from, to),
    eventsPerMessage: (to.delivered - from.delivered) / accepted,
    cpu: {
      sender: microsEach(to.senderCpu - from.senderCpu),
      simulator: microsEach(to.simulatorCpu - from.simulatorCpu),
    },
  };
}

/** Waits until no send is being accepted and every planned webhook has been delivered. */
async function settleSimulator(sim: SimProcess): Promise<void> {
  let last = -1;
  for (const deadline = Date.now() + SETTLE_TIMEOUT_MS; ; await sleep(100)) {
    const stats = await sim.stats();
    if (stats.accepted === last && stats.webhooks.eventsPending === 0) return;
    if (Date.now() > deadline) throw new Error(`the simulator did not settle: ${JSON.stringify(stats.webhooks)}`);
    last = stats.accepted;
  }
}

function perSec(value: number): string {
  return `${Math.round(value).toLocaleString('en')} msg/s`;
}

function micros(value: number): string {
  return `${Math.round(value)} µs`;
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}
