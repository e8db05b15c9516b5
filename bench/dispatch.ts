// bench:dispatch — dispatch with the limiter off (WA_MPS=0, a huge daily limit): a real `chorus
// start` process sends a campaign to the simulator in another process, on loopback, with status
// webhooks flowing back, in short rounds that alternate with a bare CloudApiClient loop at the same
// simulator (its webhooks going to a receiver that only answers 200); the median of the per-round
// ratios says what Chorus costs over the client. Then a 1,000,000-recipient campaign is
// materialised in-process after a real import, on SQLite and on PostgreSQL.
// Usage: npm run bench:dispatch -- [--messages N] [--rounds R] [--round-seconds S] [--materialise N]
//   [--skip-sqlite] [--skip-postgres] [--skip-materialise] [--skip-dispatch]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../src/config.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import { hasFlag, numberOption } from './support/args.ts';
import { formatCounts, setBenchCampaignRunning, startBenchCampaign, waitForCampaign } from './support/campaign.ts';
import { startChorusProcess } from './support/chorus-process.ts';
import { importBenchContacts } from './support/contacts.ts';
import { alternateRounds, type RoundPair } from './support/dispatch-rounds.ts';
import { describeMachine } from './support/machine.ts';
import { materialiseBench } from './support/materialise.ts';
import { median } from './support/median.ts';
import { type SimProcess, startSimProcess } from './support/sim-process.ts';

const MESSAGES = numberOption('--messages', 150_000);
const ROUNDS = numberOption('--rounds', 10);
const ROUND_MS = numberOption('--round-seconds', 3) * 1_000;
const MATERIALISE = numberOption('--materialise', 1_000_000);
// As many requests in flight as Chorus's dispatcher keeps.
const IN_FLIGHT = 256;
// The share of the bare client's rate Chorus is held to (docs/benchmarks.md, "Dispatch").
const TARGET_SHARE = 0.7;

/** What one store's dispatch measured. */
interface DispatchRun {
  label: string;
  pairs: RoundPair[];
  peakRssMb: number;
  /** Chorus's CPU over the whole run (import aside): its main thread's and the other threads'. */
  cpu: { mainThread: number; otherThreads: number };
  final: string;
  duplicates: number;
  chorusWebhookEvents: number;
}

async function dispatchRun(sim: SimProcess, label: string, target: DatabaseTarget, dir: string): Promise<DispatchRun> {
  await sim.reset();
  const database = openDatabase(target);
  await migrateToLatest(database);
  const imported = await importBenchContacts(database, MESSAGES, 'dispatch');
  await database.close();
  console.log(
    `  ${label}: imported ${imported.report.imported.toLocaleString('en')} contacts in ${imported.seconds.toFixed(1)} s`,
  );
  const chorus = await startChorusProcess({
    graphUrl: sim.url,
    databaseUrl: target.kind === 'sqlite' ? `sqlite:${target.path}` : target.url,
    ratePerSec: 0,
    dailyLimit: 1_000_000_000,
    logFile: path.join(dir, `chorus-${label}.log`),
  });
  try {
    await sim.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    const id = await startBenchCampaign(chorus, `dispatch ${label}`, 'dispatch');
    // The rounds start once the whole audience is materialised: from then on only sends run.
    await waitForCampaign(chorus, id, (c) => c.total >= MESSAGES, 300_000);
    const rounds = await alternateRounds({
      sim,
      chorus,
      campaignId: id,
      rounds: ROUNDS,
      roundMs: ROUND_MS,
      inFlight: IN_FLIGHT,
      report: (line) => console.log(`  ${label} ${line}`),
    });
    await setBenchCampaignRunning(chorus, id, true);
    await waitForCampaign(chorus, id, (c) => (c.counts.pending ?? 0) + (c.counts.sending ?? 0) === 0, 600_000);
    // Webhooks keep flowing after the last send; wait for them, then read the counts.
    await sim.flushWebhooks();
    const final = await waitForCampaign(
      chorus,
      id,
      (c) => c.status === 'completed' && (c.counts.accepted ?? 0) === 0 && (c.counts.sent ?? 0) === 0,
      30_000,
    );
    await sim.flushWebhooks();
    const stats = await sim.stats();
    return {
      label,
      pairs: rounds.pairs,
      peakRssMb: chorus.peakRssMb(),
      cpu: chorus.cpuSeconds(),
      final: `${final.status}: ${formatCounts(final.counts)}`,
      duplicates: stats.duplicateCallbackData,
      chorusWebhookEvents: stats.webhooks.eventsDelivered - rounds.bareWebhookEvents,
    };
  } finally {
    await sim.setWebhookUrl(undefined);
    await chorus.close();
  }
}

async function dispatchRuns(dir: string): Promise<void> {
  const sim = await startSimProcess({
    isMpsCapEnforced: false,
    isPairRateEnforced: false,
    dailyRecipientLimit: null,
    acceptedLogLimit: 0,
  });
  try {
    console.log(
      `${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s: Chorus, and a bare CloudApiClient loop with ${IN_FLIGHT} in flight`,
    );
    const runs: DispatchRun[] = [];
    if (!hasFlag('--skip-sqlite'))
      runs.push(await dispatchRun(sim, 'sqlite', { kind: 'sqlite', path: path.join(dir, 'dispatch.db') }, dir));
    if (!hasFlag('--skip-postgres')) {
      const pg = await createPostgresDatabase();
      try {
        runs.push(await dispatchRun(sim, 'postgres', pg, dir));
      } finally {
        await dropPostgresDatabase(pg.url);
      }
    }
    console.log(`\nChorus dispatch, ${MESSAGES.toLocaleString('en')} messages, limiter off, webhooks flowing back:`);
    console.table(
      runs.map((r) => ({
        store: r.label,
        rounds: r.pairs.length,
        'Chorus msg/s (median round)': Math.round(median(r.pairs.map((p) => p.chorus.rate))),
        'bare client msg/s (median round)': Math.round(median(r.pairs.map((p) => p.bare.rate))),
        'Chorus / bare (median of rounds)': `${(median(r.pairs.map((p) => p.chorus.rate / p.bare.rate)) * 100).toFixed(1)}%`,
        'webhook events a message within rounds, Chorus / bare (median)': `${median(r.pairs.map((p) => p.chorus.eventsPerMessage)).toFixed(2)} / ${median(r.pairs.map((p) => p.bare.eventsPerMessage)).toFixed(2)}`,
        'CPU µs a message, Chorus + simulator / bare client + simulator (median)': `${cpuOf(r.pairs, 'chorus')} / ${cpuOf(r.pairs, 'bare')}`,
        [`Chorus CPU µs a message ${TARGET_SHARE * 100}% of bare allows (median)`]: Math.round(
          median(r.pairs.map(cpuBudgetAtTarget)),
        ),
        'event loop held p99 ms (median round)': median(r.pairs.map((p) => p.chorusLag.p99Ms)).toFixed(1),
        'held at most ms': Math.max(...r.pairs.map((p) => p.chorusLag.maxMs)).toFixed(1),
        'peak RSS MB': Math.round(r.peakRssMb),
        'duplicate sends': r.duplicates,
        'webhook events to Chorus': r.chorusWebhookEvents,
      })),
    );
    for (const r of runs) {
      console.log(`  ${r.label} final: ${r.final}`);
      // The machine's load slows every thread alike; CPU per message says what Chorus itself costs.
      const { mainThread, otherThreads } = r.cpu;
      console.log(
        `  ${r.label} Chorus CPU over the run: main thread ${mainThread.toFixed(1)} s ` +
          `(${((mainThread / MESSAGES) * 1e6).toFixed(0)} µs a message), other threads ${otherThreads.toFixed(1)} s`,
      );
    }
  } finally {
    await sim.close();
  }
}

/**
 * The most CPU Chorus could spend a message and still send at TARGET_SHARE of the bare client's
 * rate in a round: at that rate the machine's cores, every one of them busy, give each message
 * this much after the simulator's share. A ceiling, since no run keeps every core busy.
 */
function cpuBudgetAtTarget(pair: RoundPair): number {
  const microsPerCoreSecond = 1e6;
  const targetRate = TARGET_SHARE * pair.bare.rate;
  return (os.availableParallelism() * microsPerCoreSecond) / targetRate - pair.chorus.cpu.simulator;
}

/** A side's median CPU a message over the rounds: its sending process's, plus the simulator's. */
function cpuOf(pairs: RoundPair[], side: 'chorus' | 'bare'): string {
  const sender = median(pairs.map((p) => p[side].cpu.sender));
  const simulator = median(pairs.map((p) => p[side].cpu.simulator));
  return `${Math.round(sender)} + ${Math.round(simulator)}`;
}

/** Imports MATERIALISE contacts into `target` and materialises a campaign to all of them, in-process. */
async function materialiseRun(label: string, target: DatabaseTarget): Promise<void> {
  const m = await materialiseBench(target, MATERIALISE);
  console.log(
    `\nmaterialise (${label}): imported ${MATERIALISE.toLocaleString('en')} contacts in ${m.importSeconds.toFixed(1)} s; ` +
      `materialised ${m.rows.toLocaleString('en')} message rows in ${m.seconds.toFixed(2)} s ` +
      `(${Math.round(m.rows / m.seconds).toLocaleString('en')} rows/s), peak RSS ${Math.round(m.peakRssMb)} MB`,
  );
}

async function main(): Promise<void> {
  console.log(`bench:dispatch — ${describeMachine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-dispatch-'));
  if (!hasFlag('--skip-dispatch')) await dispatchRuns(dir);
  if (!hasFlag('--skip-materialise')) {
    await materialiseRun('SQLite', { kind: 'sqlite', path: path.join(dir, 'materialise.db') });
    if (!hasFlag('--skip-postgres')) {
      const pg = await createPostgresDatabase();
      try {
        await materialiseRun('PostgreSQL', pg);
      } finally {
        await dropPostgresDatabase(pg.url);
      }
    }
  }
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

await main();
