// bench:dispatch — sustained dispatch with the limiter off (WA_MPS=0, a huge daily limit): a real
// `chorus start` process sends a campaign to the simulator in another process, on loopback, with
// status webhooks flowing back; beside it, a bare CloudApiClient loop at the same simulator. Then
// a 1,000,000-recipient campaign is materialised in-process after a real import.
// Usage: npm run bench:dispatch -- [--messages N] [--materialise N] [--skip-postgres] [--skip-materialise] [--skip-dispatch]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../src/config.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import { benchClient, orderUpdate } from './support/bench-client.ts';
import { formatCounts, startBenchCampaign, waitForCampaign } from './support/campaign.ts';
import { startChorusProcess } from './support/chorus-process.ts';
import { importBenchContacts } from './support/contacts.ts';
import { describeMachine, sleep } from './support/machine.ts';
import { materialiseBench } from './support/materialise.ts';
import { type SimProcess, startSimProcess } from './support/sim-process.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const MESSAGES = option('--messages', 150_000);
const MATERIALISE = option('--materialise', 1_000_000);
const CLIENT_SECONDS = 5;

/** What one dispatch run measured. */
interface DispatchRun {
  label: string;
  sustainedPerSec: number;
  overallPerSec: number;
  peakRssMb: number;
  final: string;
  duplicates: number;
  webhookEvents: number;
}

async function bareClientLoop(sim: SimProcess, inFlight: number): Promise<number> {
  const client = benchClient(sim.url, inFlight);
  const signal = new AbortController().signal;
  const message = (i: number) => orderUpdate(i, `bare-${i}`, `C${i}`);
  let next = 0;
  let sent = 0;
  const loop = async (deadline: number) => {
    while (performance.now() < deadline) {
      if ((await client.send(message(next++), signal)).ok) sent++;
    }
  };
  const warm = performance.now() + 1_000;
  await Promise.all(Array.from({ length: inFlight }, () => loop(warm)));
  sent = 0;
  const started = performance.now();
  const deadline = started + CLIENT_SECONDS * 1_000;
  await Promise.all(Array.from({ length: inFlight }, () => loop(deadline)));
  const perSec = sent / ((performance.now() - started) / 1000);
  await client.close();
  return perSec;
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
    const samples: { at: number; accepted: number }[] = [];
    let peakRss = 0;
    const started = performance.now();
    for (;;) {
      const { accepted } = await sim.stats();
      samples.push({ at: performance.now(), accepted });
      peakRss = Math.max(peakRss, chorus.rssMb());
      if (accepted >= MESSAGES) break;
      if (performance.now() - started > 600_000) throw new Error(`${label}: only ${accepted} accepted after 10 min`);
      await sleep(200);
    }
    const sustained = rateBetween(samples, 0.1 * MESSAGES, 0.9 * MESSAGES);
    const overall = MESSAGES / (((samples.at(-1)?.at ?? started) - started) / 1000);
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
    peakRss = Math.max(peakRss, chorus.peakRssMb());
    return {
      label,
      sustainedPerSec: sustained,
      overallPerSec: overall,
      peakRssMb: peakRss,
      final: `${final.status}: ${formatCounts(final.counts)}`,
      duplicates: stats.duplicateCallbackData,
      webhookEvents: stats.webhooks.eventsDelivered,
    };
  } finally {
    await sim.setWebhookUrl(undefined);
    await chorus.close();
  }
}

/** Messages per second between the samples where `from` and `to` sends had been accepted. */
function rateBetween(samples: { at: number; accepted: number }[], from: number, to: number): number {
  const a = samples.find((s) => s.accepted >= from);
  const b = samples.find((s) => s.accepted >= to);
  if (!a || !b || b.at === a.at) return 0;
  return (b.accepted - a.accepted) / ((b.at - a.at) / 1000);
}

async function dispatchRuns(dir: string): Promise<void> {
  const sim = await startSimProcess({
    isMpsCapEnforced: false,
    isPairRateEnforced: false,
    dailyRecipientLimit: null,
    acceptedLogLimit: 0,
  });
  try {
    const barePerSec = await bareClientLoop(sim, 256);
    console.log(
      `bare CloudApiClient loop → simulator, 256 in flight: ${Math.round(barePerSec).toLocaleString('en')} msg/s`,
    );
    const runs: DispatchRun[] = [];
    if (!args.includes('--skip-sqlite'))
      runs.push(await dispatchRun(sim, 'sqlite', { kind: 'sqlite', path: path.join(dir, 'dispatch.db') }, dir));
    if (!args.includes('--skip-postgres')) {
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
        'sustained msg/s (10-90%)': Math.round(r.sustainedPerSec),
        'overall msg/s': Math.round(r.overallPerSec),
        'vs bare client': `${((r.sustainedPerSec / barePerSec) * 100).toFixed(0)}%`,
        'peak RSS MB': Math.round(r.peakRssMb),
        'duplicate sends': r.duplicates,
        'webhook events': r.webhookEvents,
      })),
    );
    for (const r of runs) console.log(`  ${r.label} final: ${r.final}`);
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:dispatch — ${describeMachine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-dispatch-'));
  if (!args.includes('--skip-dispatch')) await dispatchRuns(dir);
  if (!args.includes('--skip-materialise')) {
    const m = await materialiseBench({ kind: 'sqlite', path: path.join(dir, 'materialise.db') }, MATERIALISE);
    console.log(
      `\nmaterialise (SQLite): imported ${MATERIALISE.toLocaleString('en')} contacts in ${m.importSeconds.toFixed(1)} s; ` +
        `materialised ${m.rows.toLocaleString('en')} message rows in ${m.seconds.toFixed(2)} s ` +
        `(${Math.round(m.rows / m.seconds).toLocaleString('en')} rows/s), peak RSS ${Math.round(m.peakRssMb)} MB`,
    );
  }
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

await main();
