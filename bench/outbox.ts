// bench:outbox — what outbound webhooks add to applying a webhook batch: the time to enqueue the
// message.status events of a 200-event slice (the size one transaction applies) with no webhook
// subscribed, with one, and with three, on SQLite in a file, median of the rounds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enqueueOutboundEvents, statusEvent } from '../src/app/outbound-events.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import type { AppliedStatus } from '../src/store/status-event.ts';
import { describeMachine } from './support/machine.ts';
import { median } from './support/median.ts';

const SLICE = 200;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-outbox-'));
const database = openDatabase({ kind: 'sqlite', path: path.join(dir, 'chorus.db') });
await migrateToLatest(database);
const slice: AppliedStatus[] = Array.from({ length: SLICE }, (_, i) => ({
  messageId: i + 1,
  campaignId: 1,
  phone: `+49151${String(10_000_000 + i)}`,
  wamid: `wamid.bench${i}`,
  status: 'delivered',
  errorCode: null,
}));

async function timeSlices(): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await database.db.transaction().execute((trx) => enqueueOutboundEvents(trx, slice.map(statusEvent), Date.now()));
    times.push(performance.now() - started);
  }
  return median(times);
}

console.log(describeMachine());
for (const subscribers of [0, 1, 3]) {
  await database.db.deleteFrom('webhook_deliveries').execute();
  await database.db.deleteFrom('webhook_subscriptions').execute();
  for (let i = 0; i < subscribers; i++) {
    await database.db
      .insertInto('webhook_subscriptions')
      .values({
        id: `wh_bench${i}`,
        url: 'https://x.test',
        events: '["message.status"]',
        secret_sealed: 'x',
        created_at: 0,
      })
      .execute();
  }
  const ms = await timeSlices();
  console.log(
    `${subscribers} subscribed: ${ms.toFixed(3)} ms per ${SLICE}-event slice (${((ms * 1000) / SLICE).toFixed(1)} µs an event)`,
  );
}
await database.close();
fs.rmSync(dir, { recursive: true, force: true });
