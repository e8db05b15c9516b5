// A sender whose credentials fail is paused, says so on its campaigns, and comes back by itself
// when Chorus restarts with new credentials; a person pauses and resumes it from the command line
// while the server runs. Real processes: the simulator, `chorus start` and `chorus senders`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimStats } from '../../src/simulator/types.ts';
import { contactsCsv, waitForCompletion } from './support/campaign-run.ts';
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

const run = promisify(execFile);
const CHORUS_BIN = path.resolve(import.meta.dirname, '../../bin/chorus.mjs');
const API_KEY = 'e2e-sender-key';
const RECIPIENTS = 40;

interface SenderState {
  id: string;
  status: string;
  status_reason: string | null;
  paused_by: string | null;
}

describe('a paused sender is visible and recoverable', () => {
  let dir = '';
  let sim: SimulatorProcess;
  let chorus: ChorusProcess | undefined;
  let env: Record<string, string>;
  let api: ReturnType<typeof chorusApi>;
  let campaignId = '';

  const restart = async (token: string) => {
    if (chorus) await stopChild(chorus.child, 'SIGTERM');
    chorus = await startChorusProcess({ ...env, WA_ACCESS_TOKEN: token }, path.join(dir, 'chorus.log'));
    api = chorusApi(chorus.url, API_KEY);
  };
  const sender = async () =>
    (await api<{ data: SenderState[] }>('GET', '/api/v1/senders')).json.data.find((s) => s.id === 'default');
  const cli = async (...args: string[]) =>
    JSON.parse(
      (await run('node', [CHORUS_BIN, 'senders', ...args, '--json'], { env: { ...process.env, ...env } })).stdout,
    );

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-sender-pause-'));
    const port = await freePort();
    sim = await startSimulatorProcess(
      { isMpsCapEnforced: false, dailyRecipientLimit: null },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    env = chorusEnvFor(
      { port, databaseUrl: `sqlite:${path.join(dir, 'chorus.db')}`, apiKey: API_KEY, simulatorUrl: sim.url },
      { WA_MPS: '20' },
    );
    await restart(env.WA_ACCESS_TOKEN as string);
    expect(
      (await api('POST', '/api/v1/contacts/import?tag=t', contactsCsv('t', RECIPIENTS, 0).csv, 'text/csv')).status,
    ).toBe(200);
    expect((await api('POST', '/api/v1/templates/sync', {})).status).toBe(200);
    const created = await api<{ id: string }>('POST', '/api/v1/campaigns', {
      name: 'held',
      template: { name: 'welcome', language: 'en_US' },
      params: { body: ['{{first_name|there}}'] },
      audience: { tags: ['t'] },
    });
    campaignId = created.json.id;
  });

  afterAll(async () => {
    if (chorus) await stopChild(chorus.child, 'SIGKILL');
    await sim?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('pauses the sender on a rejected token and says why on the running campaign', async () => {
    await restart('a-revoked-token');
    expect((await api('POST', `/api/v1/campaigns/${campaignId}/start`, {})).status).toBe(200);
    const paused = await waitFor(
      'the sender to pause',
      async () => {
        const s = await sender();
        return s?.status === 'paused' ? s : undefined;
      },
      15_000,
    );
    expect(paused).toMatchObject({ paused_by: 'auth', status_reason: expect.stringContaining('190') });
    const campaign = await api<{ status: string; status_reason: string; counts: Record<string, number> }>(
      'GET',
      `/api/v1/campaigns/${campaignId}`,
    );
    expect(campaign.json.status).toBe('running');
    expect(campaign.json.status_reason).toBe(`sender "default" is paused: ${paused.status_reason}`);
    expect(campaign.json.counts.failed).toBe(0);
    expect((await cli('list')).data[0]).toMatchObject({ id: 'default', status: 'paused', paused_by: 'auth' });
  });

  it('stays paused across a restart with the same credentials, and tries new ones once', async () => {
    await restart('a-revoked-token');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await sender()).toMatchObject({ status: 'paused', paused_by: 'auth' });
    const rejectedBefore = (await sim.control<SimStats>('GET', 'stats')).rejectedByCode['190'] ?? 0;
    await restart('another-revoked-token');
    await waitFor(
      'the new token to be tried and the sender paused again',
      async () => {
        const rejected = (await sim.control<SimStats>('GET', 'stats')).rejectedByCode['190'] ?? 0;
        return rejected > rejectedBefore && (await sender())?.status === 'paused' ? true : undefined;
      },
      15_000,
    );
    expect((await sim.control<SimStats>('GET', 'stats')).accepted).toBe(0);
  });

  it('is paused and resumed by a person from the command line; new credentials do not lift that', async () => {
    expect(await cli('pause', 'default', '--reason', 'checking the number')).toMatchObject({
      status: 'paused',
      paused_by: 'person',
    });
    await restart(env.WA_ACCESS_TOKEN as string);
    const held = await api<{ status_reason: string | null }>('GET', `/api/v1/campaigns/${campaignId}`);
    expect(held.json.status_reason).toBe('sender "default" is paused: checking the number');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await sim.control<SimStats>('GET', 'stats')).accepted).toBe(0);
    expect(await cli('resume', 'default')).toMatchObject({ status: 'active', paused_by: null });
    const done = await waitForCompletion(api, campaignId, 30_000);
    expect((done.counts.pending ?? 0) + (done.counts.sending ?? 0)).toBe(0);
    expect(done.total).toBe(RECIPIENTS);
    expect((await sim.control<SimStats>('GET', 'stats')).accepted).toBe(RECIPIENTS);
  });
});
