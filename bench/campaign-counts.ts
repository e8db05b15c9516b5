// bench:counts — what the campaign page's live progress costs. The page's event stream reads a
// campaign's counts by status (GET /api/v1/campaigns/{id} reads the same); this times that read
// on a SQLite file holding one campaign of N messages spread over the statuses a running campaign
// has: as the server reads it (the counts on its background reader), and all on the serving
// thread's connection, with how long each held the serving thread's event loop.
// Usage: npm run bench:counts -- [--messages N] [--samples N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { viewCampaign } from '../src/app/campaigns.ts';
import { seedDraftCampaign } from '../src/store/campaign-fixtures.testing.ts';
import { type Database, openDatabase } from '../src/store/db.ts';
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
  const file = path.join(dir, 'chorus.db');
  // As `chorus start` opens it; and a second connection that reads everything where it serves.
  const database = openDatabase({ kind: 'sqlite', path: file }, { readsAside: true });
  const onServingConnection = openDatabase({ kind: 'sqlite', path: file });
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
    console.log(
      `campaign of ${MESSAGES.toLocaleString('en')} messages, ${SAMPLES} reads of the campaign with its counts`,
    );
    console.table({
      'as the server reads it (counts on its background reader)': await timeReads(database, id),
      'all on the serving connection': await timeReads(onServingConnection, id),
    });
  } finally {
    await onServingConnection.close();
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The read's answer time, and how long it kept the serving thread's event loop busy. */
async function timeReads(database: Database, id: number): Promise<Record<string, number>> {
  const answers: number[] = [];
  const held: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const loop = performance.eventLoopUtilization();
    const started = performance.now();
    const view = await viewCampaign(database, id);
    answers.push(performance.now() - started);
    held.push(performance.eventLoopUtilization(loop).active);
    if (view.total !== MESSAGES) throw new Error(`counted ${view.total} of ${MESSAGES}`);
  }
  return {
    'answer p50 ms': round(median(answers)),
    'answer max ms': round(Math.max(...answers)),
    'serving thread busy p50 ms': round(median(held)),
    'busy max ms': round(Math.max(...held)),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

await main();
