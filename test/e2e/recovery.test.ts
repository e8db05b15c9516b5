// kill -9 at any moment, then restart: the campaign finishes with zero duplicates and zero
// messages lost. The simulator runs in its own process, so it outlives every kill and keeps the
// record of what it accepted; it also drops some connections after accepting, answers some
// requests slowly and fails a few with a retryable 5xx.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimStats } from '../../src/simulator/types.ts';
import { createPostgresDatabase, dropPostgresDatabase, TEST_BACKENDS } from '../../src/store/testing.ts';
import {
  acceptedSends,
  contactsCsv,
  countBy,
  launchCampaign,
  seededRandom,
  waitForCompletion,
} from './support/campaign-run.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  killHard,
  type SimulatorProcess,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
  waitFor,
} from './support/processes.ts';

const CONSENTED = 3_000;
const UNCONSENTED = 50;
const KILLS = 4;
const API_KEY = 'e2e-recovery-key';

describe.each(TEST_BACKENDS)('kill -9 during a campaign (%s)', (backend) => {
  let dir = '';
  const seed = Number(process.env.CHORUS_E2E_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;
  let databaseUrl = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `chorus-recovery-${backend}-`));
    databaseUrl =
      backend === 'postgres' ? (await createPostgresDatabase()).url : `sqlite:${path.join(dir, 'chorus.db')}`;
    const port = await freePort();
    sim = await startSimulatorProcess(
      {
        isMpsCapEnforced: false,
        dailyRecipientLimit: null,
        dropAfterAcceptRate: 0.03,
        serverErrorRate: 0.01,
        slowRate: 0.02,
        slowDelayMs: 800,
        // Meta retries undelivered webhooks for days (reference/cloud-api.md §4); so does this one.
        webhookMaxAttempts: 1_000_000,
        webhookRetryBaseMs: 50,
        webhookRetryMaxMs: 1_000,
      },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    env = chorusEnvFor(
      { port, databaseUrl, apiKey: API_KEY, simulatorUrl: sim.url },
      {
        WA_MPS: '250',
        CHORUS_LEASE_MS: '4000',
        // Outlasts the simulator's longest wait between webhook retries (1 s, ×1.5 jitter): the
        // window must outlast the provider's redelivery after an outage (see bench/recovery.ts).
        CHORUS_RECONCILE_MS: '5000',
      },
    );
  });

  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGKILL');
    if (sim) await sim.stop();
    if (backend === 'postgres' && databaseUrl) await dropPostgresDatabase(databaseUrl);
    // CHORUS_E2E_KEEP=1 keeps the logs and the database of a run to look into.
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`finishes with every consented contact accepted exactly once after ${KILLS} kills (seed ${seed})`, async () => {
    const logFile = path.join(dir, 'chorus.log');
    chorus = await startChorusProcess(env, logFile);
    const api = chorusApi(chorus.url, API_KEY);
    const { csv, phones } = contactsCsv('recovery', CONSENTED, UNCONSENTED);
    const campaignId = await launchCampaign(api, 'recovery', csv);

    // Each kill lands somewhere in its fifth of the campaign, at a random point.
    for (let k = 0; k < KILLS; k++) {
      const target = Math.floor(CONSENTED * ((k + 0.2 + random() * 0.7) / (KILLS + 1)));
      await waitFor(
        `${target} accepted sends before kill ${k + 1}`,
        async () => {
          const stats = await (sim as SimulatorProcess).control<{ accepted: number }>('GET', 'stats');
          return stats.accepted >= target ? true : undefined;
        },
        30_000,
        20,
      );
      await new Promise((resolve) => setTimeout(resolve, random() * 300));
      await killHard(chorus.child);
      chorus = await startChorusProcess(env, logFile);
    }

    const final = await waitForCompletion(api, campaignId, 40_000, 200);
    const accepted = await acceptedSends(sim as SimulatorProcess);
    const perCallback = countBy(accepted, (m) => m.callbackData ?? '(none)');
    const duplicates = [...perCallback].filter(([, n]) => n > 1);
    expect(duplicates, `duplicate callback data (seed ${seed})`).toEqual([]);
    const perPhone = countBy(accepted, (m) => `+${m.to.replace(/\D/g, '')}`);
    expect([...perPhone.values()].every((n) => n === 1)).toBe(true);
    const missing = phones.filter((p) => !perPhone.has(p));
    expect(missing, `contacts never accepted (seed ${seed})`).toEqual([]);
    expect(perPhone.size).toBe(CONSENTED);

    const count = (...statuses: string[]) => statuses.reduce((sum, s) => sum + (final.counts[s] ?? 0), 0);
    expect(final.total).toBe(CONSENTED + UNCONSENTED);
    expect(count('skipped')).toBe(UNCONSENTED);
    expect(count('pending', 'sending')).toBe(0);
    expect(count('accepted', 'sent', 'delivered', 'read', 'failed')).toBe(CONSENTED);
    const stats = await (sim as SimulatorProcess).control<SimStats>('GET', 'stats');
    // The run really exercised the unknown-outcome path.
    expect(stats.faults.dropped).toBeGreaterThan(0);
    // Every `to` carried its `+`: none went to a number behind the sender's country code (reference §1).
    expect(stats.missingPlusSends).toBe(0);
  }, 120_000);
});

// The narrowest window: Meta has accepted the message, but Chorus dies before it hears so, and the
// `sent` webhook is late. After the restart the row must wait for that webhook, not be sent again.
describe('kill -9 between acceptance and its answer (sqlite)', () => {
  let dir = '';
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;

  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGKILL');
    if (sim) await sim.stop();
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the webhook naming each unanswered send instead of resending it', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-recovery-window-'));
    const port = await freePort();
    sim = await startSimulatorProcess(
      {
        isMpsCapEnforced: false,
        // Every send is accepted at once but answered only after Chorus is dead…
        slowRate: 1,
        slowDelayMs: 60_000,
        // …and its `sent` webhook comes after the lease has run out.
        sentDelayMs: 6_000,
        deliveredDelayMs: 6_000,
        readRate: 0,
        outOfOrderRate: 0,
        duplicateRate: 0,
        delayedRate: 0,
        webhookMaxAttempts: 1_000_000,
        webhookRetryBaseMs: 50,
      },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    const env = chorusEnvFor(
      { port, databaseUrl: `sqlite:${path.join(dir, 'chorus.db')}`, apiKey: API_KEY, simulatorUrl: sim.url },
      {
        WA_MPS: '100',
        CHORUS_LEASE_MS: '3000',
        CHORUS_RECONCILE_MS: '5000',
      },
    );
    const logFile = path.join(dir, 'chorus.log');
    chorus = await startChorusProcess(env, logFile);
    const api = chorusApi(chorus.url, API_KEY);
    const contacts = 10;
    const campaignId = await launchCampaign(api, 'window', contactsCsv('window', contacts, 0).csv);
    await waitFor(
      'every send accepted',
      async () => {
        const stats = await (sim as SimulatorProcess).control<{ accepted: number }>('GET', 'stats');
        return stats.accepted >= contacts ? true : undefined;
      },
      20_000,
      20,
    );
    await killHard(chorus.child);
    // A resend, if one happened, would now be answered at once and counted twice.
    await sim.control('PATCH', 'behaviour', { slowRate: 0 });
    chorus = await startChorusProcess(env, logFile);

    const final = await waitForCompletion(api, campaignId, 30_000, 200);
    const stats = await sim.control<SimStats>('GET', 'stats');
    expect(stats.duplicateCallbackData).toBe(0);
    expect(stats.accepted).toBe(contacts);
    // Every row learned its fate from the webhooks that named it.
    expect((final.counts.sent ?? 0) + (final.counts.delivered ?? 0)).toBe(contacts);
  }, 60_000);
});
