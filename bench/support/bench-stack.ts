// The set-up several benches share: a fresh SQLite file (or PostgreSQL database) seeded
// in-process, a simulator that enforces no limit, a real `chorus start` process on that store, and
// a reader of the same store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseTarget } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/store/db.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../../src/store/testing.ts';
import { startBenchCampaign, waitForCampaign } from './campaign.ts';
import { type ChorusProcess, startChorusProcess } from './chorus-process.ts';
import { importBenchContacts } from './contacts.ts';
import { type SimProcess, startSimProcess } from './sim-process.ts';

/** The store a stack runs on. */
export type BenchStore = 'sqlite' | 'postgres';

/** The running stack; `close` stops it and removes its folder and database (kept with BENCH_KEEP=1). */
export interface BenchStack {
  sim: SimProcess;
  chorus: ChorusProcess;
  reader: Database;
  /** Stops Chorus and starts it again on the same store at another rate; `chorus` is the new process. */
  restartChorus(ratePerSec: number): Promise<ChorusProcess>;
  close(): Promise<void>;
}

/** Seeds a migrated store with `seed`, then starts the simulator and Chorus at `ratePerSec` on it. */
export async function startBenchStack(
  name: string,
  ratePerSec: number,
  seed: (database: Database) => Promise<void>,
  store: BenchStore = 'sqlite',
): Promise<BenchStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-bench-${name}-`));
  const target: DatabaseTarget =
    store === 'postgres' ? await createPostgresDatabase() : { kind: 'sqlite', path: path.join(dir, `${name}.db`) };
  const setup = openDatabase(target);
  await migrateToLatest(setup);
  await seed(setup);
  await setup.close();
  const sim = await startSimProcess({ isMpsCapEnforced: false, isPairRateEnforced: false, dailyRecipientLimit: null });
  const startChorus = (rate: number) =>
    startChorusProcess({
      graphUrl: sim.url,
      databaseUrl: target.kind === 'sqlite' ? `sqlite:${target.path}` : target.url,
      ratePerSec: rate,
      dailyLimit: 1_000_000_000,
      logFile: path.join(dir, 'chorus.log'),
    });
  const reader = openDatabase(target);
  const stack: BenchStack = {
    sim,
    chorus: await startChorus(ratePerSec),
    reader,
    async restartChorus(rate) {
      await stack.chorus.close();
      stack.chorus = await startChorus(rate);
      return stack.chorus;
    },
    async close() {
      await reader.close();
      await stack.chorus.close();
      await sim.close();
      if (process.env.BENCH_KEEP) return;
      fs.rmSync(dir, { recursive: true, force: true });
      if (target.kind === 'postgres') await dropPostgresDatabase(target.url);
    },
  };
  return stack;
}

/**
 * A stack whose Chorus has materialised one campaign, named and tagged `name`, of `count` bench
 * contacts, sending at `ratePerSec`: nearly all of it stays pending while a bench measures. The
 * caller closes the stack.
 */
export async function startMaterialisedCampaign(
  name: string,
  count: number,
  ratePerSec: number,
): Promise<{ stack: BenchStack; campaignId: string }> {
  const stack = await startBenchStack(name, ratePerSec, async (setup) => {
    const imported = await importBenchContacts(setup, count, name);
    console.log(`imported ${count.toLocaleString('en')} contacts in ${imported.seconds.toFixed(1)} s`);
  });
  try {
    const campaignId = await startBenchCampaign(stack.chorus, name, name);
    const materialised = await waitForCampaign(stack.chorus, campaignId, (c) => c.total >= count, 900_000);
    if (materialised.total < count) throw new Error(`only ${materialised.total} messages materialised`);
    return { stack, campaignId };
  } catch (error) {
    await stack.close();
    throw error;
  }
}
