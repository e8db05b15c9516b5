// PostgreSQL goes down and comes back mid-campaign: a proxy between Chorus and the server drops
// every connection and refuses new ones for a few seconds, as a restart does (the test server is
// shared, so it is never restarted itself). Dispatch and the webhook drain pause and resume by
// themselves, as an operator sees them: chorus_storage_paused on /metrics and 503
// `database_unavailable` from the API, each polled with a deadline. Webhooks arriving meanwhile
// are refused (Meta sends them again), and the campaign finishes with each contact sent exactly
// once and every status applied. Real processes: the simulator, `chorus start`, PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StorageComponent } from '../../src/app/storage-pause.ts';
import { sampleValue } from '../../src/metrics/exposition.testing.ts';
import type { SimStats } from '../../src/simulator/types.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../../src/store/testing.ts';
import { acceptedSends, contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
import { expectEachSentOnce } from './support/exactly-once.ts';
import {
  type ChorusProcess,
  chorusApi,
  chorusEnvFor,
  freePort,
  type SimulatorProcess,
  sleep,
  startChorusProcess,
  startSimulatorProcess,
  stopChild,
  waitFor,
} from './support/processes.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const CONTACTS = 400;
const API_KEY = 'e2e-pg-restart-key';
// How long the database stays away once the sends under way have ended: a few drain polls and
// webhook retries. The whole outage outlasts CHORUS_LEASE_MS, so the loop's own answered sends
// are written before expired leases are swept, and rows it held unsent are reconciled, not lost.
const DOWN_MS = 4_000;

describe('PostgreSQL restarts mid-campaign', () => {
  let dir = '';
  let databaseUrl = '';
  let proxy: TcpProxy | undefined;
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;

  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGKILL');
    if (sim) await sim.stop();
    await proxy?.close();
    if (databaseUrl) await dropPostgresDatabase(databaseUrl);
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pauses dispatch and webhook intake, resumes by itself, and loses nothing', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-pg-restart-'));
    databaseUrl = (await createPostgresDatabase()).url;
    const direct = new URL(databaseUrl);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(databaseUrl);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
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
        { port, databaseUrl: viaProxy.toString(), apiKey: API_KEY, simulatorUrl: sim.url },
        {
          WA_MPS: '100',
          CHORUS_LOG_LEVEL: 'info',
          CHORUS_RECONCILE_MS: '3000',
          CHORUS_LEASE_MS: '4000',
          // Scraped without a key: checking one may need the database that is away.
          CHORUS_METRICS_PUBLIC: '1',
        },
      ),
      logFile,
    );
    const chorusUrl = chorus.url;
    const api = chorusApi(chorusUrl, API_KEY);
    const simulator = sim;
    const stats = () => simulator.control<SimStats>('GET', 'stats');
    const storagePaused = async (component: StorageComponent) =>
      sampleValue(await (await fetch(`${chorusUrl}/metrics`)).text(), 'chorus_storage_paused', { component });
    const isStoragePaused = async (component: StorageComponent, want: boolean) =>
      (await storagePaused(component)) === (want ? 1 : 0) ? true : undefined;

    const { csv, phones } = contactsCsv('pgrestart', CONTACTS, 0);
    const campaignId = await launchCampaign(api, 'pgrestart', csv);
    await waitFor(
      'the campaign under way',
      async () => ((await stats()).accepted >= 80 ? true : undefined),
      20_000,
      20,
    );
    expect(await storagePaused('dispatch')).toBe(0);

    await proxy.cut();
    // The round under way may first pace out messages it claimed before the cut: generous deadlines.
    await waitFor('dispatch to pause', () => isStoragePaused('dispatch', true), 30_000);
    await waitFor('the webhook drain to pause', () => isStoragePaused('webhook_drain', true), 10_000);
    const refused = await waitFor(
      'the API to answer 503',
      async () => {
        const answer = await api<{ error: { code: string } }>('GET', `/api/v1/campaigns/${campaignId}`);
        return answer.status === 503 ? answer.json : undefined;
      },
      10_000,
    );
    expect(refused.error.code).toBe('database_unavailable');
    // Sends already paced before the cut finish; then none leave until the database is back.
    let previous = -1;
    const acceptedWhileDown = await waitFor(
      'the sends under way to end',
      async () => {
        const { accepted } = await stats();
        const isSteady = accepted === previous;
        previous = accepted;
        return isSteady ? accepted : undefined;
      },
      20_000,
      500,
    );
    expect(acceptedWhileDown).toBeLessThan(CONTACTS);
    // Meta's status webhooks are not acknowledged, so the simulator keeps them to send again.
    const failedBefore = (await stats()).webhooks.attemptsFailed;
    await waitFor(
      'a webhook refused',
      async () => ((await stats()).webhooks.attemptsFailed > failedBefore ? true : undefined),
      10_000,
    );
    await sleep(DOWN_MS);
    expect((await stats()).accepted).toBe(acceptedWhileDown);
    expect(await storagePaused('dispatch')).toBe(1);
    await proxy.restore();

    await waitFor('dispatch to resume', () => isStoragePaused('dispatch', false), 20_000);
    await waitFor('the webhook drain to resume', () => isStoragePaused('webhook_drain', false), 20_000);
    const final = await waitForCompletion(api, campaignId, 40_000, 200);
    expectEachSentOnce(await acceptedSends(simulator), phones, final);
    // Every webhook refused while the database was away came again and was applied.
    await waitFor(
      'every status webhook applied',
      async () => {
        await simulator.control('POST', 'webhooks/flush');
        const { json } = await api<{ counts: Record<string, number> }>('GET', `/api/v1/campaigns/${campaignId}`);
        return (json.counts.accepted ?? 0) === 0 && (await stats()).webhooks.eventsPending === 0 ? true : undefined;
      },
      20_000,
      250,
    );
    expect(chorus.child.exitCode).toBeNull();

    // The log says it once at the start of the outage and once at its end, loop by loop, and
    // nothing failed a round at a time meanwhile.
    const lines = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    const count = (msg: string) => lines.filter((line) => line.msg === msg).length;
    for (const what of ['dispatch', 'applying stored webhook events', 'the campaign scheduler', 'refreshing senders']) {
      expect(count(`${what} paused: the database cannot be reached; it resumes by itself`), what).toBe(1);
      expect(count(`${what} resumed: the database answers again`), what).toBe(1);
    }
    const PINO_ERROR = 50;
    expect(lines.filter((line) => line.level >= PINO_ERROR).map((line) => line.msg)).toEqual([]);
  }, 90_000);
});
