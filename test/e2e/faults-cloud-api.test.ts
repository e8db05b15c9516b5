// The Cloud API fails as a whole for a while — every send answered 503, hung past Chorus's
// timeout, or its connection dropped — in the middle of a campaign. The campaign pauses sending
// (one probe now and then), resumes by itself when the API answers again, and finishes with every
// contact sent exactly once: hung or dropped sends that Meta did take are reconciled from their
// webhooks, the others resent once. Real processes: the simulator and `chorus start`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimStats } from '../../src/simulator/types.ts';
import { acceptedSends, contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
import { expectEachSentOnce } from './support/exactly-once.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  type SimulatorProcess,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
  waitFor,
} from './support/processes.ts';

const CONTACTS = 250;
const API_KEY = 'e2e-faults-key';
// Several probes' worth: the pauses between probes run 1 s, 2 s, 4 s.
const OUTAGE_MS = 5_000;

const MODES = [
  { mode: '5xx', acceptRate: 0, counter: 'serverErrors' },
  { mode: 'hang', acceptRate: 0.5, counter: 'hung' },
  { mode: 'drop', acceptRate: 0.5, counter: 'dropped' },
] as const;

describe.each(MODES)('the Cloud API fails for a while: $mode', ({ mode, acceptRate, counter }) => {
  let dir = '';
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;

  afterEach(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGKILL');
    if (sim) await sim.stop();
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pauses, probes, resumes by itself and sends each contact exactly once', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-faults-${mode}-`));
    const port = await freePort();
    sim = await startSimulatorProcess(
      {
        isMpsCapEnforced: false,
        dailyRecipientLimit: null,
        webhookMaxAttempts: 1_000_000,
        webhookRetryBaseMs: 50,
        webhookRetryMaxMs: 1_000,
      },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    const logFile = path.join(dir, 'chorus.log');
    chorus = await startChorusProcess(
      chorusEnvFor(
        { port, databaseUrl: `sqlite:${path.join(dir, 'chorus.db')}`, apiKey: API_KEY, simulatorUrl: sim.url },
        {
          WA_MPS: '100',
          CHORUS_LOG_LEVEL: 'info',
          CHORUS_SEND_TIMEOUT_MS: '1500',
          CHORUS_LEASE_MS: '4000',
          // Outlasts the simulator's longest wait between webhook retries (1 s, ×1.5 jitter).
          CHORUS_RECONCILE_MS: '3000',
        },
      ),
      logFile,
    );
    const api = chorusApi(chorus.url, API_KEY);
    const { csv, phones } = contactsCsv(`faults${mode}`, CONTACTS, 0);
    const campaignId = await launchCampaign(api, `faults${mode}`, csv);
    const simulator = sim;
    await waitFor(
      'the campaign under way',
      async () => ((await simulator.control<SimStats>('GET', 'stats')).accepted >= 50 ? true : undefined),
      20_000,
      20,
    );
    await simulator.control('POST', 'faults', { mode, for_ms: OUTAGE_MS, accept_rate: acceptRate });
    const outageStartedAt = Date.now();

    const final = await waitForCompletion(api, campaignId, 45_000, 200);
    // It waited the outage out rather than finishing around it.
    expect(Date.now() - outageStartedAt).toBeGreaterThanOrEqual(OUTAGE_MS);
    expectEachSentOnce(await acceptedSends(simulator), phones, final);
    const stats = await simulator.control<SimStats>('GET', 'stats');
    expect(stats.faults[counter]).toBeGreaterThan(0);
    // Paused rather than hammering: a probe now and then, not a message per contact per retry.
    expect(stats.faults[counter]).toBeLessThan(CONTACTS);
    const log = fs.readFileSync(logFile, 'utf8');
    expect(log).toContain('Cloud API unavailable: sending paused');
    expect(log).toContain('Cloud API answers again: sending resumed');
  }, 70_000);
});
