// PostgreSQL goes down and comes back mid-campaign: a proxy between Chorus and the server drops
// every connection and refuses new ones for a few seconds, as a restart does. Dispatch and the
// webhook drain pause with a clear log line and resume by themselves, webhooks arriving meanwhile
// are refused (Meta sends them again), and the campaign finishes with each contact sent exactly
// once and every status applied. Real processes: the simulator, `chorus start`, PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
        { WA_MPS: '100', CHORUS_LOG_LEVEL: 'info', CHORUS_RECONCILE_MS: '3000', CHORUS_LEASE_MS: '8000' },
      ),
      logFile,
    );
    const api = chorusApi(chorus.url, API_KEY);
    const { csv, phones } = contactsCsv('pgrestart', CONTACTS, 0);
    const campaignId = await launchCampaign(api, 'pgrestart', csv);
    const simulator = sim;
    await waitFor(
      'the campaign under way',
      async () => ((await simulator.control<SimStats>('GET', 'stats')).accepted >= 80 ? true : undefined),
      20_000,
      20,
    );

    await proxy.cut();
    const log = () => fs.readFileSync(logFile, 'utf8');
    await waitFor(
      'dispatch to pause',
      async () => (log().includes('dispatch paused: the database cannot be reached') ? true : undefined),
      // The round under way may first pace out messages it claimed before the cut.
      30_000,
    );
    const refusedBefore = (await simulator.control<SimStats>('GET', 'stats')).webhooks.attemptsFailed;
    const refused = await api('GET', `/api/v1/campaigns/${campaignId}`);
    expect(refused.status).toBe(503);
    expect((refused.json as { error: { code: string } }).error.code).toBe('database_unavailable');
    await sleep(DOWN_MS);
    expect((await simulator.control<SimStats>('GET', 'stats')).webhooks.attemptsFailed).toBeGreaterThan(refusedBefore);
    await proxy.restore();

    const final = await waitForCompletion(api, campaignId, 40_000, 200);
    expectEachSentOnce(await acceptedSends(simulator), phones, final);
    expect(log()).toContain('dispatch resumed: the database answers again');
    // Every webhook refused while the database was down came again and was applied.
    await waitFor(
      'every status webhook applied',
      async () => {
        await simulator.control('POST', 'webhooks/flush');
        const { json } = await api<{ counts: Record<string, number> }>('GET', `/api/v1/campaigns/${campaignId}`);
        return (json.counts.accepted ?? 0) === 0 ? true : undefined;
      },
      20_000,
      250,
    );
    expect(chorus.child.exitCode).toBeNull();
  }, 90_000);
});
