// chorus backup while a campaign sends: a real `chorus start` process sends to the simulator, a
// real `chorus backup` process copies its SQLite database mid-campaign, and `chorus restore` puts
// the copy in a fresh directory. The backup file's own rows are the truth at that instant: the
// restored database holds every contact, consent entry and message status exactly as they were,
// and a Chorus started on it comes up.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignState, contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
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
const BIN = path.resolve(import.meta.dirname, '../../bin/chorus.mjs');
const CONTACTS = 600;
const RATE_PER_SEC = 60;
const API_KEY = 'e2e-backup-key';

type Row = Record<string, unknown>;

/** Every row of the tables that must survive, ordered by id, from a SQLite file as it is now. */
function readTruth(file: string): Record<'contacts' | 'consent_events' | 'messages', Row[]> {
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const all = (sql: string) => database.prepare(sql).all() as Row[];
    return {
      contacts: all('SELECT * FROM contacts ORDER BY id'),
      consent_events: all('SELECT * FROM consent_events ORDER BY id'),
      messages: all(
        'SELECT id, campaign_id, contact_id, phone, status, status_reason, wamid, attempts, accepted_at, sent_at, delivered_at, read_at, failed_at FROM messages ORDER BY id',
      ),
    };
  } finally {
    database.close();
  }
}

const STATUS_ORDER = ['pending', 'sending', 'accepted', 'sent', 'delivered', 'read'];

describe('chorus backup during a running campaign, then chorus restore (sqlite)', () => {
  let dir = '';
  let sim: SimulatorProcess | undefined;
  let chorus: ChorusProcess | undefined;
  let restored: ChorusProcess | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-backup-'));
    const port = await freePort();
    sim = await startSimulatorProcess(
      { isMpsCapEnforced: false, dailyRecipientLimit: null },
      `http://127.0.0.1:${port}/webhooks/whatsapp`,
      path.join(dir, 'simulator.log'),
    );
    const databaseUrl = `sqlite:${path.join(dir, 'live', 'chorus.db')}`;
    env = chorusEnvFor({ port, databaseUrl, apiKey: API_KEY, simulatorUrl: sim.url }, { WA_MPS: String(RATE_PER_SEC) });
    chorus = await startChorusProcess(env, path.join(dir, 'chorus.log'));
  });

  afterAll(async () => {
    for (const child of [chorus, restored]) if (child) await stopChild(child.child, 'SIGTERM');
    if (sim) await sim.stop();
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restores every contact, consent entry and message status as they were at the backup', async () => {
    const api = chorusApi((chorus as ChorusProcess).url, API_KEY);
    const campaignId = await launchCampaign(api, 'backup', contactsCsv('backup', CONTACTS, 20).csv);
    await waitFor(
      'the campaign to be under way',
      async () => {
        const { json } = await api<CampaignState>('GET', `/api/v1/campaigns/${campaignId}`);
        return (json.counts.accepted ?? 0) + (json.counts.sent ?? 0) + (json.counts.delivered ?? 0) > 60
          ? true
          : undefined;
      },
      30_000,
    );
    const backupFile = path.join(dir, 'chorus-backup.db');
    const backedUp = await run('node', [BIN, 'backup', backupFile, '--json'], { env: { ...process.env, ...env } });
    expect(JSON.parse(backedUp.stdout)).toMatchObject({ file: backupFile, bytes: expect.any(Number) });
    expect(fs.statSync(backupFile).mode & 0o777).toBe(0o600);

    const truth = readTruth(backupFile);
    // Taken mid-campaign: some messages were sent, some still waited.
    const statuses = new Set(truth.messages.map((m) => m.status));
    expect(statuses.has('pending')).toBe(true);
    expect([...statuses].some((s) => s !== 'pending' && s !== 'skipped')).toBe(true);
    expect(truth.contacts).toHaveLength(CONTACTS + 20);
    expect(truth.consent_events).toHaveLength(CONTACTS);

    const fresh = path.join(dir, 'fresh', 'chorus.db');
    const restoreEnv = { ...process.env, ...env, DATABASE_URL: `sqlite:${fresh}` };
    const restoredRun = await run('node', [BIN, 'restore', backupFile, '--json'], { env: restoreEnv });
    expect(JSON.parse(restoredRun.stdout)).toMatchObject({
      restored: fresh,
      previous_kept_as: null,
      migrations_applied: [],
    });
    expect(readTruth(fresh)).toEqual(truth);
    // Never over the database a running server holds, even when forced.
    const overLive = await run('node', [BIN, 'restore', backupFile, '--force'], {
      env: { ...process.env, ...env },
    }).catch((error: unknown) => error);
    expect(overLive).toMatchObject({ code: 1, stderr: expect.stringMatching(/^chorus: .*is in use.*\n$/) });

    // The snapshot is of one instant of the live database: the campaign went on from there, each
    // message's status only forward and its wamid kept.
    await waitForCompletion(api, campaignId, 60_000, 200);
    const live = new Map(readTruth(path.join(dir, 'live', 'chorus.db')).messages.map((m) => [m.id, m]));
    for (const before of truth.messages) {
      const after = live.get(before.id) as Row;
      if (before.wamid !== null) expect(after.wamid).toBe(before.wamid);
      if (before.status === 'skipped' || before.status === 'failed') expect(after.status).toBe(before.status);
      else if (after.status !== 'failed')
        expect(STATUS_ORDER.indexOf(after.status as string)).toBeGreaterThanOrEqual(
          STATUS_ORDER.indexOf(before.status as string),
        );
    }
  }, 120_000);

  it('a Chorus started on the restored database comes up and shows the campaign', async () => {
    const port = await freePort();
    const fresh = path.join(dir, 'fresh', 'chorus.db');
    const sandboxEnv = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `sqlite:${fresh}`,
      CHORUS_API_KEY: API_KEY,
      CHORUS_SANDBOX: '1',
      CHORUS_LOG_LEVEL: 'warn',
    };
    restored = await startChorusProcess(sandboxEnv, path.join(dir, 'restored.log'));
    const api = chorusApi(restored.url, API_KEY);
    const { status, json } = await api<{ data: { id: string }[] }>('GET', '/api/v1/campaigns');
    expect(status).toBe(200);
    expect(json.data).toHaveLength(1);
    const contacts = await api<{ data: unknown[] }>('GET', '/api/v1/contacts?limit=1000');
    expect(contacts.json.data).toHaveLength(CONTACTS + 20);
  }, 60_000);
});
