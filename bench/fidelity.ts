// bench:fidelity — does Chorus hold a sender's cap? For each cap (80 and 1,000 msg/s) a real
// `chorus start` process (WA_MPS = cap) sends a campaign big enough to saturate it to a simulator
// in another process that enforces the same cap (130429 over it). The cap is judged on every send
// request the simulator received, accepted or refused: the busiest sliding 1-second window of
// their arrivals (acceptances alone could never pass the cap the simulator enforces). The mean
// rate is taken over the acceptances. Exits non-zero when a window passes its cap.
// Usage: npm run bench:fidelity -- [--seconds S] [--caps 80,1000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { benchClient, orderUpdate } from './support/bench-client.ts';
import { formatCounts, startBenchCampaign, waitForCampaign } from './support/campaign.ts';
import { startChorusProcess } from './support/chorus-process.ts';
import { importBenchContacts } from './support/contacts.ts';
import { describeMachine } from './support/machine.ts';
import { startSimProcess } from './support/sim-process.ts';

const args = process.argv.slice(2);
const SECONDS = args.includes('--seconds') ? Number(args[args.indexOf('--seconds') + 1]) : 20;
const CAPS = args.includes('--caps') ? (args[args.indexOf('--caps') + 1] ?? '').split(',').map(Number) : [80, 1_000];

/** What one capped run measured. */
interface FidelityRun {
  cap: number;
  /** Send requests the simulator received, and how many of their arrival times it kept. */
  requests: number;
  requestsKept: number;
  accepted: number;
  /** The most requests that arrived in any 1-second window. */
  busiestWindow: number;
  meanPerSec: number;
  throughputErrors: number;
  final: string;
  /** Requests that arrived in each whole second from the first. */
  perSecond: number[];
}

/** The most events in any 1-second window [t, t + 1000 ms), over sorted times. */
export function busiestWindow(sortedMs: readonly number[]): number {
  let best = 0;
  let left = 0;
  for (let right = 0; right < sortedMs.length; right++) {
    while ((sortedMs[right] as number) - (sortedMs[left] as number) >= 1_000) left++;
    best = Math.max(best, right - left + 1);
  }
  return best;
}

/** Events per whole second from the first, over sorted times. */
function perSecondCounts(sortedMs: readonly number[]): number[] {
  const first = sortedMs[0] ?? 0;
  const counts: number[] = [];
  for (const t of sortedMs) {
    const second = Math.floor((t - first) / 1_000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (n) => n ?? 0);
}

/** Sends `count` messages to the simulator with a bare client, 32 at a time. */
async function warmUp(url: string, count: number): Promise<void> {
  const client = benchClient(url);
  const signal = new AbortController().signal;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++)
      await client.send(orderUpdate(90_000_000 + i, `warm-${i}`, `W${i}`), signal);
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  await client.close();
}

async function capRun(cap: number, dir: string): Promise<FidelityRun> {
  const messages = cap * SECONDS;
  const file = path.join(dir, `fidelity-${cap}.db`);
  const database = openDatabase({ kind: 'sqlite', path: file });
  await migrateToLatest(database);
  await importBenchContacts(database, messages, 'fidelity');
  await database.close();
  const sim = await startSimProcess({
    mps: cap,
    isMpsCapEnforced: false,
    dailyRecipientLimit: null,
    // Room for every request of the run: the sends, and as many again refused and retried.
    acceptedLogLimit: 2 * messages + 10_000,
  });
  // A cold simulator stamps its first requests late (JIT, new connections), which would squeeze
  // the first second at its end; warm it, then enforce the cap from a clean slate.
  await warmUp(sim.url, 2_000);
  await sim.setBehaviour({ isMpsCapEnforced: true });
  await sim.reset();
  const chorus = await startChorusProcess({
    graphUrl: sim.url,
    databaseUrl: `sqlite:${file}`,
    ratePerSec: cap,
    dailyLimit: 1_000_000_000,
    logFile: path.join(dir, `chorus-${cap}.log`),
  });
  try {
    await sim.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    const id = await startBenchCampaign(chorus, `fidelity ${cap}`, 'fidelity');
    const final = await waitForCampaign(
      chorus,
      id,
      (c) => (c.counts.pending ?? 0) + (c.counts.sending ?? 0) === 0 && c.total >= messages,
      SECONDS * 4_000 + 60_000,
    );
    const accepted = (await sim.acceptedTimes()).sort((a, b) => a - b);
    const arrivals = await sim.arrivals();
    const arrived = arrivals.timesMs.sort((a, b) => a - b);
    const stats = await sim.stats();
    const spanS = ((accepted.at(-1) ?? 0) - (accepted[0] ?? 0)) / 1000;
    return {
      cap,
      requests: arrivals.total,
      requestsKept: arrived.length,
      accepted: accepted.length,
      busiestWindow: busiestWindow(arrived),
      // n sends span n − 1 gaps: the rate the sends were paced at.
      meanPerSec: spanS > 0 ? (accepted.length - 1) / spanS : 0,
      throughputErrors: stats.rejectedByCode['130429'] ?? 0,
      final: `${final.status}: ${formatCounts(final.counts)}`,
      perSecond: perSecondCounts(arrived),
    };
  } finally {
    await chorus.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:fidelity — ${describeMachine()}; ${SECONDS} s of sends per cap`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-fidelity-'));
  const runs: FidelityRun[] = [];
  try {
    for (const cap of CAPS) runs.push(await capRun(cap, dir));
  } finally {
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
  console.table(
    runs.map((r) => ({
      'cap msg/s': r.cap,
      requests: r.requests,
      accepted: r.accepted,
      'busiest 1 s window (requests)': r.busiestWindow,
      'window ≤ cap': isWithinCap(r) ? 'yes' : 'NO',
      'mean msg/s': r.meanPerSec.toFixed(1),
      'mean / cap': `${((r.meanPerSec / r.cap) * 100).toFixed(1)}%`,
      '130429 answers': r.throughputErrors,
    })),
  );
  for (const r of runs) {
    console.log(`  cap ${r.cap} final: ${r.final}`);
    console.log(`  cap ${r.cap} requests in each second: ${r.perSecond.join(' ')}`);
    if (r.requestsKept < r.requests)
      console.log(`  cap ${r.cap}: only the last ${r.requestsKept} of ${r.requests} arrivals were kept`);
  }
  const isOk = runs.every(isWithinCap);
  console.log(isOk ? 'OK: no 1 s window of requests over its cap' : 'FAILED: a 1 s window of requests passed its cap');
  process.exitCode = isOk ? 0 : 1;
}

/** Every request was seen, and no 1-second window of them passed the cap. */
function isWithinCap(run: FidelityRun): boolean {
  return run.requestsKept === run.requests && run.busiestWindow <= run.cap;
}

await main();
