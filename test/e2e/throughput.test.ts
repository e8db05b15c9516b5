// A campaign against a simulator that enforces Meta's per-number throughput cap (130429 past it,
// reference/cloud-api.md §3), Chorus configured with the same cap: the limiter must keep every
// sliding second at or under it at the simulator's end, while still sending at the cap. Real
// processes, so the latency between them is real too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busiestSecond } from '../../src/dispatch/send-rates.testing.ts';
import type { SimStats } from '../../src/simulator/types.ts';
import { acceptedSends, contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  type SimulatorProcess,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
} from './support/processes.ts';

const CAP_PER_SEC = 40;
const CONTACTS = 320;
const API_KEY = 'e2e-throughput-key';

describe('a campaign at the simulator-enforced throughput cap (sqlite)', () => {
  let dir = '';
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-throughput-'));
    const port = await freePort();
    sim = await startSimulatorProcess(
      { mps: CAP_PER_SEC, isMpsCapEnforced: true },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    const env = chorusEnvFor(
      { port, databaseUrl: `sqlite:${path.join(dir, 'chorus.db')}`, apiKey: API_KEY, simulatorUrl: sim.url },
      { WA_MPS: String(CAP_PER_SEC) },
    );
    chorus = await startChorusProcess(env, path.join(dir, 'chorus.log'));
  });

  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGTERM');
    if (sim) await sim.stop();
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`sends ${CONTACTS} messages at ${CAP_PER_SEC} msg/s without one 130429, each once, each to its own number`, async () => {
    const api = chorusApi((chorus as ChorusProcess).url, API_KEY);
    const campaignId = await launchCampaign(api, 'throughput', contactsCsv('throughput', CONTACTS, 0).csv);
    const final = await waitForCompletion(api, campaignId, 30_000, 200);

    const stats = await (sim as SimulatorProcess).control<SimStats>('GET', 'stats');
    expect(stats.rejectedByCode).toEqual({});
    expect(stats).toMatchObject({ accepted: CONTACTS, duplicateCallbackData: 0, missingPlusSends: 0 });
    expect(final.counts.failed ?? 0).toBe(0);
    // The cap was really reached, so the zero above is the limiter's doing, not an idle sender's.
    const busiest = busiestSecond((await acceptedSends(sim as SimulatorProcess)).map((m) => m.atMs));
    expect(busiest).toBeLessThanOrEqual(CAP_PER_SEC);
    expect(busiest).toBeGreaterThanOrEqual(CAP_PER_SEC * 0.9);
  }, 60_000);
});
