// The Cloud API fails as a whole for a minute — every send answered 503, hung past Chorus's
// timeout, or its connection dropped — in the middle of a campaign. The campaign pauses sending
// (one probe now and then), resumes by itself when the API answers again, and finishes with every
// contact sent exactly once: hung or dropped sends that Meta did take are reconciled from their
// webhooks, the others resent once. Real processes: the simulator and `chorus start`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimStats } from '../../src/simulator/types.ts';
import { acceptedSends, contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
import { expectEachSentOnce } from './support/exactly-once.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
  waitFor,
} from './support/processes.ts';

const CONTACTS = 250;
const API_KEY = 'e2e-faults-key';
// A minute: the pauses between probes grow 1 s, 2 s, 4 s, 8 s to their 15 s ceiling, so the
// campaign waits through several at the longest before the API answers again.
const OUTAGE_MS = 60_000;

const MODES = [
  { mode: '5xx', acceptRate: 0, counter: 'serverErrors' },
  { mode: 'hang', acceptRate: 0.5, counter: 'hung' },
  { mode: 'drop', acceptRate: 0.5, counter: 'dropped' },
] as const;

// The three outages run side by side, each with its own simulator and Chorus: a minute each, one
// after another, would hold the suite for minutes.
describe.concurrent.each(MODES)('the Cloud API fails for a minute: $mode', ({ mode, acceptRate, counter }) => {
  it(
    'pauses, probes, resumes by itself and sends each contact exactly once',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-faults-${mode}-`));
      const port = await freePort();
      const sim = await startSimulatorProcess(
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
      let chorus: ChorusProcess | undefined;
      try {
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

        const final = await waitForCompletion(api, campaignId, OUTAGE_MS + 45_000, 200);
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
      } finally {
        if (chorus) await stopChild(chorus.child, 'SIGKILL');
        await sim.stop();
        if (!process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    OUTAGE_MS + 90_000,
  );
});
