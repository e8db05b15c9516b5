// npm run bench:scale — several workers sending from one PostgreSQL. Each worker is a send loop
// with its own connection pool and HTTP client (as a `chorus start --role worker` process has);
// they run side by side in this process, the simulator in its own. Prints figures and a
// pass/fail per target. Needs the PostgreSQL the tests use (CHORUS_TEST_PG_URL).
import { Readable } from 'node:stream';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { changeCampaignStatus } from '../src/app/campaigns.ts';
import { importContacts } from '../src/app/import-contacts.ts';
import { CloudApiClient } from '../src/cloud-api/cloud-api-client.ts';
import { DEFAULT_DISPATCHER_OPTIONS, Dispatcher } from '../src/dispatch/dispatcher.ts';
import { busiestSecond, steadyRate } from '../src/dispatch/send-rates.testing.ts';
import { SenderLimits } from '../src/dispatch/sender-limits.ts';
import { welcome } from '../src/domain/template-fixtures.testing.ts';
import { createLogger } from '../src/logger.ts';
import type { Database } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { readOnConnection } from '../src/store/query-reader.ts';
import type { DB } from '../src/store/schema.ts';
import { getSender, type Sender, upsertSender } from '../src/store/senders-repo.ts';
import { upsertTemplates } from '../src/store/templates-repo.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import { numberOption } from './support/args.ts';
import { materialisedCampaign } from './support/campaign.ts';
import { describeMachine } from './support/machine.ts';
import { BENCH_IDS, type SimProcess, startSimProcess } from './support/sim-process.ts';

const LATENCY_MS = 100;
// Requests in flight per worker in the scale-out runs, the same for every number of workers.
const IN_FLIGHT = numberOption('--in-flight', 32);
// How far ahead the shared limiter hands out slots (cluster-slots.ts): a message waiting for its
// slot counts as in flight too.
const SLOT_LOOKAHEAD_MS = 100;

/** In flight per worker under a cap: what the cap needs while waiting for slots and answers, and a quarter more. */
function cappedInFlight(capPerSec: number, workers: number): number {
  return Math.ceil((1.25 * capPerSec * (LATENCY_MS + SLOT_LOOKAHEAD_MS)) / 1000 / workers);
}
const RUN_MS = numberOption('--seconds', 6) * 1000;
const logger = createLogger('silent');
let contactSeq = 0;

/** Durations (ms) of the claim queries and of the shared limiter's grants during a run. */
interface QueryTimes {
  claimMs: number[];
  grantMs: number[];
}

/** A worker's own pool, timing every claim (UPDATE … FOR UPDATE SKIP LOCKED) and limiter grant. */
function openWorkerDatabase(url: string, times: QueryTimes): Database {
  // As the store's own pools do: int8 ids and epoch-ms times as numbers.
  pg.types.setTypeParser(20, (value) => Number(value));
  const pool = new pg.Pool({ connectionString: url, max: 6 });
  const db = new Kysely<DB>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (event.level !== 'query') return;
      if (event.query.sql.startsWith('update "messages" set "status" =')) times.claimMs.push(event.queryDurationMillis);
      if (event.query.sql.startsWith('update "sender_rate_limits"')) times.grantMs.push(event.queryDurationMillis);
    },
  });
  return { db, dialect: 'postgres', readAside: readOnConnection, close: () => db.destroy() };
}

/** Contacts, a started and materialised campaign of `count` messages for `senderId`. */
async function campaignOf(database: Database, senderId: string, count: number): Promise<number> {
  const tag = `s${++contactSeq}`;
  const lines = Array.from({ length: count }, () => `+49151${String(30_000_000 + ++contactSeq).padStart(8, '0')},Ana`);
  const csv = `phone,first_name,opted_in_at\n${lines.map((l) => `${l},2026-01-05T10:00:00Z`).join('\n')}\n`;
  await importContacts(database, Readable.from([csv]), { fileName: 'c.csv', tags: [tag] }, Date.now);
  return materialisedCampaign(database, senderId, tag);
}

/** A worker's send loop for one sender at the simulator; notes in `sentAtMs` when each request leaves. */
function workerLoop(
  database: Database,
  sender: Sender,
  sim: SimProcess,
  inFlight: number,
  sentAtMs: number[],
): { dispatcher: Dispatcher; close(): Promise<void> } {
  const client = new CloudApiClient({
    graphUrl: sim.url,
    apiVersion: 'v23.0',
    phoneNumberId: BENCH_IDS.phoneNumberId,
    accessToken: BENCH_IDS.accessToken,
    maxInFlight: inFlight,
  });
  const limits = new SenderLimits(
    database,
    {
      senderId: sender.id,
      phoneNumberId: BENCH_IDS.phoneNumberId,
      ratePerSec: sender.ratePerSec,
      dailyRecipientLimit: sender.dailyLimit,
      pairGapMs: 0,
      isShared: true,
    },
    Date.now(),
  );
  const dispatcher = new Dispatcher({
    database,
    sender,
    provider: {
      send(message, signal) {
        sentAtMs.push(Date.now());
        return client.send(message, signal);
      },
    },
    limits,
    logger,
    clock: Date.now,
    random: Math.random,
    options: { ...DEFAULT_DISPATCHER_OPTIONS, maxInFlight: inFlight, claimBatch: inFlight },
    onEffect: async () => undefined,
    onRecorded: async () => undefined,
  });
  dispatcher.start();
  return {
    dispatcher,
    async close() {
      await dispatcher.stop();
      await client.close();
    },
  };
}

interface RunFigures {
  /** Accepted sends per second while there was work (first arrival to last, at the simulator). */
  perSec: number;
  claimP99Ms: number;
  /** Limiter grants (one UPDATE each) per second, all workers together, and their p99. */
  grantsPerSec: number;
  grantP99Ms: number;
  doubleSends: number;
  /** The most sends in one second at the simulator, and as they left the workers. */
  busiest: number;
  busiestAsSent: number;
  throughputErrors: number;
}

/** Runs `workers` loops per sender for RUN_MS; answers each sender's figures at its simulator. */
async function run(
  url: string,
  admin: Database,
  senders: { sender: Sender; sim: SimProcess }[],
  workers: number,
  inFlight: number,
) {
  const campaigns: number[] = [];
  for (const { sender } of senders) {
    // Enough work for the whole run, with a margin: the cap, or what the loops can have in flight.
    const perSec = sender.ratePerSec > 0 ? sender.ratePerSec : (inFlight * 1000 * workers) / LATENCY_MS;
    campaigns.push(await campaignOf(admin, sender.id, Math.ceil((1.3 * perSec * RUN_MS) / 1000)));
  }
  for (const { sim } of senders) await sim.reset();
  const times: QueryTimes = { claimMs: [], grantMs: [] };
  const pools = Array.from({ length: workers }, () => openWorkerDatabase(url, times));
  const startedAt = Date.now();
  const sentAtMs = senders.map((): number[] => []);
  const loops = pools.flatMap((database) =>
    senders.map(({ sender, sim }, i) => workerLoop(database, sender, sim, inFlight, sentAtMs[i] as number[])),
  );
  await new Promise((resolve) => setTimeout(resolve, RUN_MS));
  await Promise.all(loops.map((loop) => loop.close()));
  const elapsedSec = (Date.now() - startedAt) / 1000;
  // The margin left unsent must not share the next run's claims.
  for (const id of campaigns) await changeCampaignStatus(admin, id, 'cancel', Date.now());
  await Promise.all(pools.map((p) => p.close()));
  const figures: RunFigures[] = [];
  for (const [i, { sim }] of senders.entries()) {
    const stats = await sim.stats();
    const arrivals = await sim.arrivals();
    figures.push({
      perSec: stats.accepted === arrivals.total ? steadyRate(arrivals.timesMs) : stats.accepted / elapsedSec,
      claimP99Ms: percentile(times.claimMs, 0.99),
      grantsPerSec: times.grantMs.length / elapsedSec,
      grantP99Ms: percentile(times.grantMs, 0.99),
      doubleSends: stats.duplicateCallbackData,
      busiest: busiestSecond(arrivals.timesMs),
      busiestAsSent: busiestSecond(sentAtMs[i] as number[]),
      throughputErrors: stats.rejectedByCode['130429'] ?? 0,
    });
  }
  return figures;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}`);
  console.log(
    `simulator latency ${LATENCY_MS} ms, ${IN_FLIGHT} requests in flight per worker (under a cap: what the cap needs), ${RUN_MS / 1000} s a run`,
  );
  const url = (await createPostgresDatabase()).url;
  const admin = openWorkerDatabase(url, { claimMs: [], grantMs: [] });
  const sims: SimProcess[] = [];
  try {
    await migrateToLatest(admin);
    await upsertTemplates(admin.db, BENCH_IDS.businessAccountId, [welcome], Date.now());
    const addSender = async (id: string, ratePerSec: number) => {
      await upsertSender(
        admin.db,
        {
          id,
          phoneNumberId: `${BENCH_IDS.phoneNumberId}${id}`,
          businessAccountId: BENCH_IDS.businessAccountId,
          ratePerSec,
          dailyLimit: 10_000_000,
        },
        Date.now(),
      );
      return (await getSender(admin.db, id)) as Sender;
    };
    const slow = { slowRate: 1, slowDelayMs: LATENCY_MS, sentDelayMs: 0 };
    const sim = await startSimProcess({
      ...slow,
      isMpsCapEnforced: false,
      isPairRateEnforced: false,
      dailyRecipientLimit: null,
    });
    sims.push(sim);

    // 1. Scale-out with the limiter off: I/O-bound sends, a fixed number in flight per worker.
    const open = await addSender('open', 0);
    const byWorkers = new Map<number, RunFigures>();
    for (const n of [1, 2, 4]) {
      const [f] = await run(url, admin, [{ sender: open, sim }], n, IN_FLIGHT);
      byWorkers.set(n, f as RunFigures);
      console.log(
        `${n} worker(s): ${Math.round(f?.perSec ?? 0)} msg/s, claim p99 ${f?.claimP99Ms.toFixed(1)} ms, double sends ${f?.doubleSends}`,
      );
    }
    const one = byWorkers.get(1)?.perSec ?? 0;
    for (const n of [2, 4]) {
      const f = byWorkers.get(n) as RunFigures;
      console.log(
        `  target ${n} workers ≥ 0.9 × ${n} × one (${Math.round(0.9 * n * one)} msg/s): ${verdict(f.perSec >= 0.9 * n * one)}`,
      );
    }
    const all = [...byWorkers.values()];
    console.log(`  target zero double claims: ${verdict(all.every((f) => f.doubleSends === 0))}`);
    console.log(`  target claim-query p99 < 20 ms: ${verdict(all.every((f) => f.claimP99Ms < 20))}`);

    // 2. One shared cap of 1,000 msg/s for four workers, enforced by the simulator too.
    await sim.setBehaviour({ isMpsCapEnforced: true, mps: 1_000 });
    const capped = await addSender('capped', 1_000);
    const [c] = (await run(url, admin, [{ sender: capped, sim }], 4, cappedInFlight(1_000, 4))) as [RunFigures];
    console.log(
      `4 workers, cap 1000: ${Math.round(c.perSec)} msg/s, busiest second ${c.busiest} (as sent ${c.busiestAsSent}), 130429 ${c.throughputErrors}, ` +
        `limiter grants ${Math.round(c.grantsPerSec)}/s (p99 ${c.grantP99Ms.toFixed(1)} ms), claim p99 ${c.claimP99Ms.toFixed(1)} ms`,
    );
    console.log(
      `  target held (≤ 1000 in every second, zero 130429, mean ≥ 950): ${verdict(c.busiest <= 1_000 && c.throughputErrors === 0 && c.perSec >= 950)}`,
    );

    // 3. Two senders of 500 msg/s each at once, each at its own simulator number.
    await sim.setBehaviour({ mps: 500 });
    const second = await startSimProcess({
      ...slow,
      isMpsCapEnforced: true,
      mps: 500,
      isPairRateEnforced: false,
      dailyRecipientLimit: null,
    });
    sims.push(second);
    const a = await addSender('brand-a', 500);
    const b = await addSender('brand-b', 500);
    const pair = await run(
      url,
      admin,
      [
        { sender: a, sim },
        { sender: b, sim: second },
      ],
      4,
      cappedInFlight(500, 4),
    );
    pair.forEach((f, i) => {
      console.log(
        `sender ${i === 0 ? 'a' : 'b'} (cap 500): ${Math.round(f.perSec)} msg/s, busiest second ${f.busiest} (as sent ${f.busiestAsSent}), 130429 ${f.throughputErrors}`,
      );
      console.log(
        `  target held (≤ 500 in every second, zero 130429, mean ≥ 475): ${verdict(f.busiest <= 500 && f.throughputErrors === 0 && f.perSec >= 475)}`,
      );
    });
  } finally {
    await admin.close();
    await Promise.all(sims.map((s) => s.close()));
    await dropPostgresDatabase(url);
  }
}

await main();
