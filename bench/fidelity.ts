// bench:fidelity — does Chorus hold a sender's cap? For each cap (80 and 1,000 msg/s) a real
// `chorus start` process (WA_MPS = cap) sends a campaign big enough to saturate it to a simulator
// in another process that enforces the same cap (130429 over it). Measured on the simulator's
// acceptance times: the busiest sliding 1-second window, the mean rate, and 130429 answers.
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
  accepted: number;
  busiestWindow: number;
  meanPerSec: number;
  throughputErrors: number;
  final: string;
  /** Acceptances in each whole second from the first. */
  perSecond: number[];
}

/** The most acceptances in any 1-second window [t, t + 1000 ms), over sorted times. */
export function busiestWindow(sortedMs: readonly number[]): number {
  let best = 0;
  let left = 0;
  for (let right = 0; right < sortedMs.length; right++) {
    while ((sortedMs[right] as number) - (sortedMs[left] as number) >= 1_000) left++;
    best = Math.max(best, right - left + 1);
  }
  return best;
}

/** Acceptances per whole second from the first, over sorted times. */
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
    acceptedLogLimit: messages + 1_000,
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
    const times = (await sim.acceptedTimes()).sort((a, b) => a - b);
    const stats = await sim.stats();
    const spanS = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    return {
      cap,
      accepted: times.length,
      busiestWindow: busiestWindow(times),
      // n sends span n − 1 gaps: the rate the sends were paced at.
      meanPerSec: spanS > 0 ? (times.length - 1) / spanS : 0,
      throughputErrors: stats.rejectedByCode['130429'] ?? 0,
      final: `${final.status}: ${formatCounts(final.counts)}`,
      perSecond: perSecondCounts(times),
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
      accepted: r.accepted,
      'busiest 1 s window': r.busiestWindow,
      'window ≤ cap': r.busiestWindow <= r.cap ? 'yes' : 'NO',
      'mean msg/s': r.meanPerSec.toFixed(1),
      'mean / cap': `${((r.meanPerSec / r.cap) * 100).toFixed(1)}%`,
      '130429 answers': r.throughputErrors,
    })),
  );
  for (const r of runs) {
    console.log(`  cap ${r.cap} final: ${r.final}`);
    console.log(`  cap ${r.cap} accepted in each second: ${r.perSecond.join(' ')}`);
  }
}

await main();
