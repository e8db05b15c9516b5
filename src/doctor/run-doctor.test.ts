// chorus doctor's checks against a real simulator and a real SQLite file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { openCredentialBox } from '../secret-key.ts';
import { startTestSimulator, TEST_IDS } from '../simulator/testing.ts';
import { seedPendingCampaign } from '../store/campaign-fixtures.testing.ts';
import { openDatabase } from '../store/db.ts';
import { migrateTo, migrateToLatest } from '../store/migrate.ts';
import { insertSender } from '../store/senders-repo.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../store/testing.ts';
import type { CheckResult } from './check.ts';
import { judgeFreeSpace } from './database-checks.ts';
import { runDoctor } from './run-doctor.ts';

const SECRET_KEY = 'doctor-test-secret-key-0123456789abcdef';

let dir = '';
let sim: Awaited<ReturnType<typeof startTestSimulator>>;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-doctor-'));
  sim = await startTestSimulator();
});
afterEach(async () => {
  await sim.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const file = () => path.join(dir, 'chorus.db');

/** A migrated SQLite file, seeded by `seed`. */
async function databaseFile(seed: (db: ReturnType<typeof openDatabase>) => Promise<void> = async () => {}) {
  const database = openDatabase({ kind: 'sqlite', path: file() });
  await migrateToLatest(database);
  await seed(database);
  await database.close();
}

/** The configuration of a live Chorus whose default sender is the simulator's number. */
function liveConfig(env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: `sqlite:${file()}`,
    PORT: '1',
    CHORUS_SECRET_KEY: SECRET_KEY,
    WA_GRAPH_URL: sim.sim.url,
    WA_PHONE_NUMBER_ID: TEST_IDS.phoneNumberId,
    WA_BUSINESS_ACCOUNT_ID: TEST_IDS.businessAccountId,
    WA_ACCESS_TOKEN: TEST_IDS.accessToken,
    WA_APP_SECRET: TEST_IDS.appSecret,
    WA_VERIFY_TOKEN: 'verify-me',
    ...env,
  });
}

const byCheck = (results: CheckResult[]) => new Map(results.map((r) => [r.check, r]));

describe('chorus doctor', () => {
  it('finds a healthy live set-up healthy, one line per check', async () => {
    await databaseFile();
    const results = byCheck(await runDoctor(liveConfig()));
    for (const check of ['database', 'migrations', 'integrity', 'wal', 'senders', 'webhook signatures', 'clock'])
      expect(results.get(check)?.status, check).toBe('ok');
    expect(results.get('sender default')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('credentials accepted: +15550000000 (Chorus Sandbox), quality GREEN'),
    });
    expect(results.get('webhooks default')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('Chorus Simulator'),
    });
    // Nothing listens on port 1: the handshake is not tried.
    expect(results.get('webhook verification')?.status).toBe('skip');
    expect(results.get('template sync')).toMatchObject({
      status: 'warn',
      message: `never synced for WABA ${TEST_IDS.businessAccountId}`,
    });
    expect(['ok', 'warn']).toContain(results.get('disk')?.status);
  });

  it('fails a rejected token with Meta’s code and what to do', async () => {
    await databaseFile();
    const results = byCheck(await runDoctor(liveConfig({ WA_ACCESS_TOKEN: 'not-the-token' })));
    expect(results.get('sender default')).toEqual({
      check: 'sender default',
      status: 'fail',
      message: 'token rejected (190): Invalid OAuth access token - Cannot parse access token',
      fix: 'give it a valid system-user token: set WA_ACCESS_TOKEN and restart Chorus',
    });
    expect(results.get('clock')?.status).toBe('skip');
  });

  it('fails a WABA no app is subscribed to, and warns of a cap above a STANDARD number’s', async () => {
    await databaseFile();
    await fetch(`${sim.sim.url}/v23.0/${TEST_IDS.businessAccountId}/subscribed_apps`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_IDS.accessToken}` },
    });
    const results = byCheck(await runDoctor(liveConfig({ WA_MPS: '1000' })));
    expect(results.get('webhooks default')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^no app is subscribed to WABA 2002's webhooks/),
    });
    expect(results.get('sender default')).toMatchObject({
      status: 'warn',
      fix: expect.stringMatching(/STANDARD number takes 80 msg\/s/),
    });
  });

  it("fails a clock a minute or more off Meta's", async () => {
    await databaseFile();
    const results = byCheck(await runDoctor(liveConfig(), () => Date.now() - 120_000));
    expect(results.get('clock')).toMatchObject({ status: 'fail', message: expect.stringMatching(/is 12\d s behind/) });
    const slightly = byCheck(await runDoctor(liveConfig(), () => Date.now() + 10_000));
    expect(slightly.get('clock')).toMatchObject({ status: 'warn', message: expect.stringMatching(/ahead of/) });
  });

  it('fails a running campaign on a paused template', async () => {
    await databaseFile(async ({ db }) => {
      const id = await seedPendingCampaign(db, Date.now(), { status: 'running', phones: ['+4915100000001'] });
      await db.updateTable('templates').set({ status: 'PAUSED' }).execute();
      await db.updateTable('campaigns').set({ name: 'Spring' }).where('id', '=', id).execute();
    });
    const results = byCheck(await runDoctor(liveConfig()));
    expect(results.get('campaign templates')).toMatchObject({
      status: 'fail',
      message: '1 campaign(s) cannot send: campaign 1 "Spring" (running) on hello_world/en_US, PAUSED',
    });
  });

  it('checks stored senders with their sealed credentials, and fails those it cannot open', async () => {
    const box = openCredentialBox(SECRET_KEY, undefined);
    const otherBox = openCredentialBox('another-secret-key-0123456789abcdefgh', undefined);
    await databaseFile(async ({ db }) => {
      const sender = (id: string, token: string, secret: string | null) => ({
        id,
        name: id,
        phoneNumberId: TEST_IDS.phoneNumberId,
        businessAccountId: TEST_IDS.businessAccountId,
        ratePerSec: 80,
        dailyLimit: 1000,
        accessTokenSealed: token,
        appSecretSealed: secret,
        isSandbox: false,
      });
      await insertSender(db, sender('brand-b', box.seal(TEST_IDS.accessToken, 'brand-b'), null), Date.now());
      await insertSender(db, sender('brand-c', otherBox.seal('x', 'brand-c'), null), Date.now());
    });
    const results = byCheck(await runDoctor(liveConfig()));
    expect(results.get('sender brand-b')?.status).toBe('ok');
    expect(results.get('sender brand-c')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^its stored credentials cannot be opened/),
    });
    expect(results.get('webhook signatures')).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('brand-b'),
    });
  });

  it('fails a database with migrations to apply, and never makes a missing one', async () => {
    const database = openDatabase({ kind: 'sqlite', path: file() });
    await migrateTo(database, '0006-status-events-by-message');
    await database.close();
    const results = byCheck(await runDoctor(liveConfig()));
    expect(results.get('migrations')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^\d+ of \d+ not applied \(0008-sender-state, /),
    });
    expect(results.has('sender default')).toBe(false);
    const missing = path.join(dir, 'nowhere', 'chorus.db');
    const none = await runDoctor(liveConfig({ DATABASE_URL: `sqlite:${missing}` }));
    expect(none[0]).toMatchObject({ check: 'database', status: 'fail', message: `no database at SQLite ${missing}` });
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });

  it('says in sandbox mode that the simulator lives inside chorus start, and checks the rest', async () => {
    await databaseFile();
    const results = byCheck(await runDoctor(loadConfig({ DATABASE_URL: `sqlite:${file()}` })));
    expect(results.get('sender default')).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(/^sandbox mode .*lives inside `chorus start`/),
    });
    expect(results.get('database')?.status).toBe('ok');
    expect([...results.values()].some((r) => r.status === 'fail')).toBe(false);
  });
});

describe('chorus doctor on PostgreSQL', () => {
  it('checks the database and its migrations, leaves integrity and disk to the server, and hides the password', async () => {
    const target = await createPostgresDatabase();
    const database = openDatabase(target);
    await migrateToLatest(database);
    await database.close();
    const url = new URL(target.url);
    url.password = 'pg-secret-pw';
    try {
      const results = await runDoctor(liveConfig({ DATABASE_URL: url.toString() }));
      const checks = byCheck(results);
      expect(checks.get('database')).toMatchObject({ status: 'ok', message: expect.stringContaining(':***@') });
      expect(checks.get('migrations')?.status).toBe('ok');
      expect(checks.has('integrity')).toBe(false);
      expect(checks.get('disk')?.status).toBe('skip');
      expect(checks.get('sender default')?.status).toBe('ok');
      expect(JSON.stringify(results)).not.toContain('pg-secret-pw');
    } finally {
      await dropPostgresDatabase(target.url);
    }
  });
});

describe('free disk', () => {
  it('fails below 256 MB or 2 %, warns below 2 GB or 10 %', () => {
    const GB = 1024 ** 3;
    expect(judgeFreeSpace('/d', 100 * GB, 200 * GB).status).toBe('ok');
    expect(judgeFreeSpace('/d', 1.5 * GB, 10 * GB).status).toBe('warn');
    expect(judgeFreeSpace('/d', 15 * GB, 200 * GB).status).toBe('warn');
    expect(judgeFreeSpace('/d', 0.2 * GB, 1 * GB).status).toBe('fail');
    expect(judgeFreeSpace('/d', 3 * GB, 200 * GB).status).toBe('fail');
  });
});
