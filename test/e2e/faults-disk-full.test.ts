// The SQLite database's disk fills in the middle of a campaign. SQLite's own limit on the file's
// size (PRAGMA max_page_count, pinned to the size it has) stands in for the disk: every write that
// needs a new page fails with SQLITE_FULL, as on a full file system. While it lasts the API answers
// 503 `storage_full`, webhooks are not acknowledged (Meta sends them again), dispatch stops sending
// and says so; when space returns everything resumes by itself and nothing was lost, half-written
// or sent twice. Chorus runs in this process (its connection is where the limit is set), the
// simulator beside it; they talk over real HTTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningChorus, startChorus } from '../../src/main.ts';
import { DEFAULT_BEHAVIOUR } from '../../src/simulator/behaviour.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { SANDBOX_TEMPLATES } from '../../src/simulator/sandbox-templates.ts';
import type { RunningSimulator } from '../../src/simulator/types.ts';
import { writingOnSqlite } from '../../src/store/db.ts';
import { contactsCsv, launchCampaign, waitForCompletion } from './support/campaign-run.ts';
import { expectEachSentOnce } from './support/exactly-once.ts';
import { chorusApi, E2E_IDS, sleep, waitFor } from './support/processes.ts';
import { postWebhook, status, statusEnvelope } from './support/webhook-payloads.ts';

const CONTACTS = 150;
const LATE_CONTACTS = 2_000;
const API_KEY = 'e2e-disk-full-key';

/** A CSV of consented contacts on numbers the campaign's list does not use. */
function lateCsv(): string {
  const rows = Array.from(
    { length: LATE_CONTACTS },
    (_, i) => `+49152${String(30_000_000 + i)},Late${i},late,2026-01-05T10:00:00Z,e2e-form`,
  );
  return `phone,first_name,tags,opted_in_at,consent_source\n${rows.join('\n')}\n`;
}

type Store = RunningChorus['database'];

/**
 * Fills the disk and keeps it full until freeDisk is called: the file is pinned to
 * the pages it has, and a filler table takes every free byte, again whenever Chorus frees some
 * (a drained webhook inbox row), as other programs on a full disk would. The filler writes as
 * Chorus's own raw writers do (writingOnSqlite), so no transaction of Chorus's is open while it runs.
 */
async function keepDiskFull(database: Store): Promise<{ topUpNow(): Promise<void>; freeDisk(): Promise<void> }> {
  const sqlite = database.sqlite as NonNullable<Store['sqlite']>;
  const underLock = (work: () => void) => writingOnSqlite(database, async () => work());
  await underLock(() => {
    sqlite.exec('CREATE TABLE IF NOT EXISTS disk_filler (bytes BLOB)');
    sqlite.pragma(`max_page_count = ${Number(sqlite.pragma('page_count', { simple: true }))}`);
  });
  const fill = sqlite.prepare('INSERT INTO disk_filler VALUES (randomblob(?))');
  const topUp = () => {
    for (const size of [3_000, 200, 20]) {
      try {
        for (;;) fill.run(size);
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error;
      }
    }
  };
  await underLock(topUp);
  // A tick racing the store's close at the end of a failed test has nothing left to fill.
  const timer = setInterval(() => void underLock(topUp).catch(() => undefined), 20);
  return {
    topUpNow: () => underLock(topUp),
    freeDisk: async () => {
      clearInterval(timer);
      await underLock(() => {
        sqlite.pragma('max_page_count = 1073741823');
        sqlite.exec('DROP TABLE disk_filler');
      });
    },
  };
}

describe('the SQLite disk fills mid-campaign', () => {
  let dir = '';
  let sim: RunningSimulator | undefined;
  let chorus: RunningChorus | undefined;
  const logLines: string[] = [];

  afterAll(async () => {
    await chorus?.close();
    await sim?.close();
    if (dir) fs.writeFileSync(path.join(dir, 'chorus.log'), logLines.join(''));
    if (dir && !process.env.CHORUS_E2E_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503, refuses webhooks, stops sending, and resumes with nothing lost when space returns', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-disk-full-'));
    sim = await startSimulator({
      ...E2E_IDS,
      seed: 7,
      templates: SANDBOX_TEMPLATES.map((t) => structuredClone(t)),
      behaviour: {
        isMpsCapEnforced: false,
        dailyRecipientLimit: null,
        webhookMaxAttempts: 1_000_000,
        webhookRetryBaseMs: 50,
        webhookRetryMaxMs: 500,
      },
    });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    chorus = await startChorus(
      loadConfig({
        DATABASE_URL: `sqlite:${path.join(dir, 'chorus.db')}`,
        PORT: '0',
        CHORUS_API_KEY: API_KEY,
        WA_GRAPH_URL: sim.url,
        WA_PHONE_NUMBER_ID: E2E_IDS.phoneNumberId,
        WA_BUSINESS_ACCOUNT_ID: E2E_IDS.businessAccountId,
        WA_ACCESS_TOKEN: E2E_IDS.accessToken,
        WA_APP_SECRET: E2E_IDS.appSecret,
        WA_MPS: '30',
        CHORUS_RECONCILE_MS: '3000',
      }),
      createLogger('info', sink),
    );
    sim.control.setWebhookUrl(`${chorus.url}/webhooks/whatsapp`);
    const api = chorusApi(chorus.url, API_KEY);
    const { csv, phones } = contactsCsv('diskfull', CONTACTS, 0);
    const campaignId = await launchCampaign(api, 'diskfull', csv);
    const simulator = sim;
    await waitFor(
      'the campaign under way',
      async () => (simulator.control.stats().accepted >= 20 ? true : undefined),
      20_000,
    );

    // The disk fills: the file may not grow by a single page, and a filler takes its free pages.
    const database = chorus.database;
    const { topUpNow, freeDisk } = await keepDiskFull(database);

    const logged = (text: string) => logLines.some((line) => line.includes(text));
    await waitFor(
      'dispatch to pause',
      async () => (logged('dispatch paused: the database disk is full') ? true : undefined),
      15_000,
    );
    // Paused before the campaign was through: the rest waits for space.
    await sleep(500);
    expect(simulator.control.stats().accepted).toBeLessThan(CONTACTS);

    const refused = await fetch(`${chorus.url}/api/v1/contacts/import?tag=late`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/csv' },
      body: lateCsv(),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('storage_full');
    // A status webhook is refused, to come again later. The webhook inbox is drained by a thread
    // with a connection of its own, and its deletes free pages (and room inside the inbox's pages) a
    // small webhook may take before the filler does. So the simulator's webhooks are held, the inbox
    // drained, the free pages taken, and then Meta posts a batch too large for any page's spare room.
    simulator.control.setBehaviour({ webhookFlushIntervalMs: 3_600_000 });
    await chorus.webhooksSettled();
    await topUpNow();
    const atSec = Math.floor(Date.now() / 1000);
    const reads = simulator.control.acceptedMessages({ limit: 20 }).map((m) => status(m.wamid, 'read', m.to, atSec));
    const lateRead = statusEnvelope(reads, reads, reads);
    expect(await postWebhook(chorus.url, lateRead)).toBe(503);
    simulator.control.setBehaviour({ webhookFlushIntervalMs: DEFAULT_BEHAVIOUR.webhookFlushIntervalMs });
    // No check that not one more send leaves meanwhile: SQLite lets a write that needs no new page
    // through on a full disk, and Chorus's own deletes (drained inbox rows) free pages its next
    // claim may reuse before the filler takes them. What must hold is below: nothing lost, nothing
    // sent twice, nothing half-written.
    // Reading still works.
    expect((await api('GET', `/api/v1/campaigns/${campaignId}`)).status).toBe(200);

    // Space returns.
    await freeDisk();
    expect(await postWebhook(chorus.url, lateRead)).toBe(200);
    const final = await waitForCompletion(api, campaignId, 30_000, 200);
    expectEachSentOnce(simulator.control.acceptedMessages({ limit: CONTACTS * 2 }), phones, final);
    expect(logged('dispatch resumed: the database answers again')).toBe(true);

    // Every refused webhook came again and was applied: no message is left at `accepted`.
    await waitFor(
      'every status webhook applied',
      async () => {
        await simulator.control.flushWebhooks();
        await chorus?.webhooksSettled();
        const { json } = await api<{ counts: Record<string, number> }>('GET', `/api/v1/campaigns/${campaignId}`);
        return (json.counts.accepted ?? 0) === 0 && simulator.control.stats().webhooks.eventsPending === 0
          ? json
          : undefined;
      },
      20_000,
      200,
    );

    // The refused import left no contact without its consent; run again, it imports every row once.
    const again = await api<{ imported: number; updated: number }>(
      'POST',
      '/api/v1/contacts/import?tag=late',
      lateCsv(),
      'text/csv',
    );
    expect(again.status).toBe(200);
    expect(again.json.imported + again.json.updated).toBe(LATE_CONTACTS);
    const { db } = chorus.database;
    const late = await db.selectFrom('contacts').select('id').where('phone', 'like', '+49152%').execute();
    expect(late).toHaveLength(LATE_CONTACTS);
    const withoutConsent = await db
      .selectFrom('contacts')
      .select('contacts.id')
      .where('contacts.phone', 'like', '+49152%')
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('consent_events').select('id').whereRef('consent_events.contact_id', '=', 'contacts.id'),
          ),
        ),
      )
      .execute();
    expect(withoutConsent).toEqual([]);
  }, 90_000);
});
