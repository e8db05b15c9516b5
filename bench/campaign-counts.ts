// bench:counts — what the campaign page's live progress costs. The page's event stream reads a
// campaign's counts by status (GET /api/v1/campaigns/{id} reads the same); this times that read
// on a SQLite file holding one campaign of N messages spread over the statuses a running campaign
// has, on the serving thread's own connection, as the progress feed does.
// Usage: npm run bench:counts -- [--messages N] [--samples N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { viewCampaign } from '../src/app/campaigns.ts';
import { seedDraftCampaign } from '../src/store/campaign-fixtures.testing.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { numberOption } from './support/args.ts';
import { describeMachine } from './support/machine.ts';
import { median } from './support/median.ts';

const MESSAGES = numberOption('--messages', 100_000);
const SAMPLES = numberOption('--samples', 20);
const STATUSES = ['pending', 'accepted', 'sent', 'delivered', 'read', 'failed'];

async function main(): Promise<void> {
  console.log(`bench:counts — ${describeMachine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-counts-'));
  const database = openDatabase({ kind: 'sqlite', path: path.join(dir, 'chorus.db') });
  try {
    await migrateToLatest(database);
    const now = Date.now();
    const id = await seedDraftCampaign(database.db, now, MESSAGES);
    const statusOf = sql.raw(
      `case n % ${STATUSES.length} ${STATUSES.map((s, i) => `when ${i} then '${s}'`).join(' ')} end`,
    );
    await sql`
      with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${MESSAGES})
      insert into messages (campaign_id, contact_id, phone, status, next_attempt_at, updated_at)
      select ${id}, n, '+4915100' || n, ${statusOf}, ${now}, ${now} from seq`.execute(database.db);
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const started = performance.now();
      const view = await viewCampaign(database, id);
      times.push(performance.now() - started);
      if (view.total !== MESSAGES) throw new Error(`counted ${view.total} of ${MESSAGES}`);
    }
    console.log(
      `campaign of ${MESSAGES.toLocaleString('en')} messages, ${SAMPLES} reads of the campaign with its counts`,
    );
    console.table({ 'read, ms': { p50: round(median(times)), max: round(Math.max(...times)) } });
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

await main();
