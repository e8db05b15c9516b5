// bench:dashboard — the dashboard's own requests against a real `chorus start` process holding a
// million contacts and 100 campaigns (four of them with 10k–100k messages in mixed statuses): the
// median and p95 of each call, with the paths and query strings the pages in web/src send.
// Target: every call under 300 ms p95 on the 2-core bench machine.
// Usage: npm run bench:dashboard -- [--contacts N] [--samples N] [--postgres]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { campaignInputSchema } from '../src/app/campaign-input.ts';
import { changeCampaignStatus, createCampaign } from '../src/app/campaigns.ts';
import { encodeCursor } from '../src/app/cursor.ts';
import { DEFAULT_SENDER_ID } from '../src/app/senders.ts';
import type { DatabaseTarget } from '../src/config.ts';
import { welcome } from '../src/domain/template-fixtures.testing.ts';
import { transitionCampaign } from '../src/store/campaigns-repo.ts';
import { type Database, openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { upsertSender } from '../src/store/senders-repo.ts';
import { upsertTemplates } from '../src/store/templates-repo.ts';
import { createPostgresDatabase, dropPostgresDatabase } from '../src/store/testing.ts';
import { hasFlag, numberOption } from './support/args.ts';
import { materialisedCampaign } from './support/campaign.ts';
import { type ChorusProcess, startChorusProcess } from './support/chorus-process.ts';
import { importBenchContacts } from './support/contacts.ts';
import { describeMachine } from './support/machine.ts';
import { median } from './support/median.ts';
import { BENCH_IDS, startSimProcess } from './support/sim-process.ts';

const CONTACTS = numberOption('--contacts', 1_000_000);
const SAMPLES = numberOption('--samples', 20);
const TARGET_P95_MS = 300;
const scaled = (n: number) => Math.round((n * CONTACTS) / 1_000_000);
// The campaigns with messages: their audience tag, size and the status they are left in.
const SENT_CAMPAIGNS = [
  { tag: 'spring', size: scaled(10_000), status: 'completed' },
  { tag: 'summer', size: scaled(20_000), status: 'completed' },
  { tag: 'autumn', size: scaled(50_000), status: 'paused' },
  { tag: 'winter', size: scaled(100_000), status: 'running' },
] as const;
// The other 96, without messages, by the status each ends in.
const EMPTY_CAMPAIGNS = { draft: 40, scheduled: 16, cancelled: 30, completed: 10 } as const;
// Settled outcomes a finished campaign's messages spread over; a live one keeps some pending too.
const SETTLED = ['delivered', 'read', 'read', 'sent', 'failed', 'skipped'];

/** Contacts in tagged blocks: the campaign audiences, a 'newsletter' third, the rest 'bench'. */
async function seedContacts(database: Database): Promise<void> {
  const started = performance.now();
  const blocks = [
    ...SENT_CAMPAIGNS.map((c) => ({ tag: c.tag, size: c.size })),
    { tag: 'newsletter', size: scaled(300_000) },
  ];
  blocks.push({ tag: 'bench', size: CONTACTS - blocks.reduce((sum, b) => sum + b.size, 0) });
  let first = 0;
  for (const block of blocks) {
    await importBenchContacts(database, block.size, block.tag, first);
    first += block.size;
  }
  console.log(`  ${CONTACTS.toLocaleString('en')} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The campaign input of an empty campaign, scheduled a year ahead when `isScheduled`. */
function emptyCampaignInput(name: string, isScheduled: boolean) {
  return campaignInputSchema.parse({
    name,
    sender: DEFAULT_SENDER_ID,
    template: { name: 'welcome', language: 'en_US' },
    params: { body: ['{{first_name|there}}'] },
    audience: { tags: ['newsletter'] },
    ...(isScheduled ? { scheduled_at: new Date(Date.now() + 365 * 86_400_000).toISOString() } : {}),
  });
}

/** 100 campaigns; answers the id of the biggest one (the campaign page the bench opens). */
async function seedCampaigns(database: Database): Promise<number> {
  const started = performance.now();
  let biggest = 0;
  for (const campaign of SENT_CAMPAIGNS) {
    const id = await materialisedCampaign(database, DEFAULT_SENDER_ID, campaign.tag);
    const outcomes = campaign.status === 'completed' ? SETTLED : [...SETTLED, 'pending', 'pending'];
    const statusOf = sql.raw(
      `case id % ${outcomes.length} ${outcomes.map((s, i) => `when ${i} then '${s}'`).join(' ')} end`,
    );
    await sql`update messages set status = ${statusOf} where campaign_id = ${id}`.execute(database.db);
    const now = Date.now();
    // Each step's time over the last hour, as the timeline and the overview count them.
    const at = sql`${now} - (id % 3600) * 1000`;
    await sql`update messages set
        accepted_at = case when status in ('sent', 'delivered', 'read', 'failed') then ${at} end,
        sent_at = case when status in ('sent', 'delivered', 'read') then ${at} end,
        delivered_at = case when status in ('delivered', 'read') then ${at} end,
        read_at = case when status = 'read' then ${at} end,
        failed_at = case when status = 'failed' then ${at} end
      where campaign_id = ${id}`.execute(database.db);
    if (campaign.status === 'paused') await changeCampaignStatus(database, id, 'pause', now);
    if (campaign.status === 'completed') {
      await transitionCampaign(database.db, { id, from: ['running'], to: 'completed', now, finishedAt: now });
    }
    biggest = id;
  }
  let n = 0;
  for (const [status, count] of Object.entries(EMPTY_CAMPAIGNS)) {
    for (let i = 0; i < count; i++) {
      const view = await createCampaign(
        database,
        emptyCampaignInput(`${status} ${++n}`, status === 'scheduled'),
        Date.now(),
      );
      const id = Number(view.id);
      if (status === 'cancelled') await changeCampaignStatus(database, id, 'cancel', Date.now());
      if (status === 'completed') {
        const now = Date.now();
        await transitionCampaign(database.db, {
          id,
          from: ['draft'],
          to: 'completed',
          now,
          startedAt: now,
          finishedAt: now,
        });
      }
    }
  }
  console.log(
    `  100 campaigns (${SENT_CAMPAIGNS.map((c) => c.size.toLocaleString('en')).join(' + ')} messages) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return biggest;
}

async function seed(target: DatabaseTarget): Promise<number> {
  const database = openDatabase(target);
  try {
    await migrateToLatest(database);
    const now = Date.now();
    // Sends at 1 msg/s: the running campaign is live, yet the sends cost the server next to nothing.
    await upsertSender(
      database.db,
      {
        id: DEFAULT_SENDER_ID,
        phoneNumberId: BENCH_IDS.phoneNumberId,
        businessAccountId: BENCH_IDS.businessAccountId,
        ratePerSec: 1,
        dailyLimit: 1_000_000_000,
      },
      now,
    );
    await upsertTemplates(database.db, BENCH_IDS.businessAccountId, [welcome], now);
    await seedContacts(database);
    const biggest = await seedCampaigns(database);
    // As autovacuum leaves a database after a big import: planner statistics, and a visibility map
    // that lets index-only scans skip the table.
    if (target.kind === 'postgres') await sql`vacuum analyze`.execute(database.db);
    return biggest;
  } finally {
    await database.close();
  }
}

/** The calls each page makes, as web/src/pages sends them. */
function dashboardCalls(campaignId: number): { page: string; method: string; path: string; body?: unknown }[] {
  const midnight = new Date(new Date().setHours(0, 0, 0, 0)).toISOString();
  const everyone = { tags: [], exclude_tags: [] };
  return [
    { page: 'overview', method: 'GET', path: `/api/v1/summary?since=${encodeURIComponent(midnight)}` },
    { page: 'overview, senders', method: 'GET', path: '/api/v1/senders' },
    { page: 'campaigns', method: 'GET', path: '/api/v1/campaigns?limit=25' },
    ...['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'].map((status) => ({
      page: 'campaigns',
      method: 'GET',
      path: `/api/v1/campaigns?limit=25&status=${status}`,
    })),
    { page: 'campaigns', method: 'GET', path: `/api/v1/campaigns?limit=25&cursor=${encodeCursor(50)}` },
    { page: 'campaign', method: 'GET', path: `/api/v1/campaigns/${campaignId}/report` },
    { page: 'campaign', method: 'GET', path: `/api/v1/campaigns/${campaignId}/messages?limit=50` },
    { page: 'campaign', method: 'GET', path: `/api/v1/campaigns/${campaignId}/messages?limit=50&status=failed` },
    { page: 'contacts', method: 'GET', path: '/api/v1/contacts?limit=50' },
    { page: 'contacts', method: 'GET', path: `/api/v1/contacts?limit=50&cursor=${encodeCursor(CONTACTS / 2)}` },
    { page: 'contacts', method: 'GET', path: '/api/v1/contacts?limit=50&q=name12' },
    { page: 'contacts', method: 'GET', path: '/api/v1/contacts?limit=50&q=Family1001' },
    { page: 'contacts', method: 'GET', path: `/api/v1/contacts?limit=50&q=${encodeURIComponent('+4915112')}` },
    { page: 'contacts', method: 'GET', path: '/api/v1/contacts?limit=50&tag=newsletter' },
    { page: 'contacts', method: 'GET', path: '/api/v1/contacts?limit=50&tag=spring' },
    {
      page: 'contacts',
      method: 'GET',
      path: `/api/v1/contacts?limit=50&tag=spring&cursor=${encodeCursor(CONTACTS / 2)}`,
    },
    { page: 'new campaign', method: 'POST', path: '/api/v1/campaigns/audience-count', body: everyone },
    {
      page: 'new campaign',
      method: 'POST',
      path: '/api/v1/campaigns/audience-count',
      body: { tags: ['newsletter', 'spring'], exclude_tags: ['bench'] },
    },
  ];
}

const percentile95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.ceil(0.95 * values.length) - 1] ?? 0;

/** Times every dashboard call SAMPLES times; answers false when one misses the target. */
async function timeCalls(chorus: ChorusProcess, campaignId: number): Promise<boolean> {
  const rows: Record<string, { p50: number; p95: number; status: number }> = {};
  for (const call of dashboardCalls(campaignId)) {
    const times: number[] = [];
    let status = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      status = (await chorus.api(call.method, call.path, call.body)).status;
      times.push(performance.now() - started);
    }
    const label = `${call.page}: ${call.method} ${call.path}${call.body ? ` ${JSON.stringify(call.body)}` : ''}`;
    rows[label.replace(/since=[^&]+/, 'since=…')] = {
      p50: Math.round(median(times)),
      p95: Math.round(percentile95(times)),
      status,
    };
  }
  console.table(rows);
  const misses = Object.entries(rows).filter(([, r]) => r.p95 >= TARGET_P95_MS || r.status >= 300);
  for (const [label, r] of misses) console.log(`  MISS ${label}: p95 ${r.p95} ms, HTTP ${r.status}`);
  return misses.length === 0;
}

async function run(target: DatabaseTarget, databaseUrl: string, dir: string): Promise<boolean> {
  console.log(`${target.kind}: seeding`);
  const campaignId = await seed(target);
  const sim = await startSimProcess({ isMpsCapEnforced: false, isPairRateEnforced: false, dailyRecipientLimit: null });
  const chorus = await startChorusProcess({
    graphUrl: sim.url,
    databaseUrl,
    ratePerSec: 1,
    dailyLimit: 1_000_000_000,
    logFile: path.join(dir, 'chorus.log'),
  });
  try {
    const isMet = await timeCalls(chorus, campaignId);
    console.log(`  target every call < ${TARGET_P95_MS} ms p95: ${isMet ? 'PASS' : 'FAIL'}`);
    return isMet;
  } finally {
    await chorus.close();
    await sim.close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:dashboard — ${describeMachine()}`);
  console.log(`${CONTACTS.toLocaleString('en')} contacts, 100 campaigns, ${SAMPLES} calls each`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-dashboard-'));
  try {
    if (hasFlag('--postgres')) {
      const target = await createPostgresDatabase();
      try {
        await run(target, target.url, dir);
      } finally {
        if (process.env.BENCH_KEEP) console.log(`kept ${target.url}`);
        else await dropPostgresDatabase(target.url);
      }
    } else {
      const file = path.join(dir, 'chorus.db');
      await run({ kind: 'sqlite', path: file }, `sqlite:${file}`, dir);
    }
  } finally {
    if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
