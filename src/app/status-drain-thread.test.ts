import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createKeywordMatcher } from '../domain/opt-out-keywords.ts';
import { createLogger } from '../logger.ts';
import { seedMessagesInFlight } from '../store/campaign-fixtures.testing.ts';
import { type Database, openDatabase } from '../store/db.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { stashStatusEvents } from '../store/webhook-inbox-repo.ts';
import { toStatusInput } from './apply-webhook.ts';
import type { DrainListener } from './status-drain.ts';
import { StatusDrainThread, spawnDrainWorker } from './status-drain-thread.ts';
import { statusEvent } from './status-event-fixtures.testing.ts';
import { WebhookIntake } from './webhook-intake.ts';
import type { AppliedSample } from './webhook-observer.ts';

const NOW = 1_800_000_000_000;
// From the sources, each drain thread compiles its modules as it starts: seconds on a busy machine.
const THREAD_TEST_TIMEOUT_MS = 90_000;
let dir: string;
let file: string;
let database: Database;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-drain-thread-'));
  file = path.join(dir, 'chorus.db');
  database = openDatabase({ kind: 'sqlite', path: file });
  await migrateToLatest(database);
  await seedMessagesInFlight(database, NOW, 4);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Blocks this thread, reading a message's status on a connection of its own until it is `wanted`. */
function waitBlockingFor(messageId: number, wanted: string, timeoutMs: number): string | undefined {
  const reader = new SQLite(file, { readonly: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    let status: string | undefined;
    for (const deadline = Date.now() + timeoutMs; status !== wanted && Date.now() < deadline; ) {
      Atomics.wait(pause, 0, 0, 10);
      status = (reader.prepare('select status from messages where id = ?').get(messageId) as { status: string }).status;
    }
    return status;
  } finally {
    reader.close();
  }
}

it(
  'applies stored statuses on a thread of its own: they land while this thread is blocked',
  async () => {
    const samples: AppliedSample[] = [];
    const logger = createLogger('silent');
    const intake = new WebhookIntake(
      database,
      logger,
      () => ({ now: NOW, logger, matchKeyword: createKeywordMatcher() }),
      {
        observer: { received: () => {}, applied: (sample) => samples.push(sample) },
        sqliteFile: file,
      },
    );
    intake.start();
    try {
      await intake.settled(); // the thread is up
      await intake.receive([statusEvent(1, 'sent', NOW + 1), statusEvent(1, 'delivered', NOW + 2)]);
      // Not one turn of this thread's event loop from here until the status is read as applied.
      expect(waitBlockingFor(1, 'delivered', 20_000)).toBe('delivered');
      // What the thread applied reaches the observer here, once this thread is free again.
      await intake.settled();
      expect(samples.flatMap((s) => s.changed.map((c) => [c.messageId, c.status]))).toEqual([
        [1, 'sent'],
        [1, 'delivered'],
      ]);
    } finally {
      await intake.close();
    }
  },
  THREAD_TEST_TIMEOUT_MS,
);

it(
  'reports a drain thread that crashed, starts another, and applies what waited',
  async () => {
    const workers: Worker[] = [];
    const errors: string[] = [];
    const listener: DrainListener = {
      applied: () => {},
      log: (_level, fields, message) => errors.push(`${message}: ${fields.err?.message}`),
    };
    const drain = new StatusDrainThread(
      { path: file },
      () => NOW,
      listener,
      (data) => {
        const worker = spawnDrainWorker(data);
        workers.push(worker);
        return worker;
      },
    );
    drain.start();
    try {
      await drain.settled();
      workers[0]?.postMessage(null); // a message it cannot read: an uncaught error ends the thread
      await expect.poll(() => errors.length, { timeout: 30_000 }).toBe(1);
      expect(errors[0]).toMatch(
        /^the status drain thread stopped; starting it again in \d+ ms .*: Cannot read properties of null/,
      );
      const events = [statusEvent(2, 'sent', NOW + 1), statusEvent(2, 'read', NOW + 3)].flatMap(
        (e) => toStatusInput(e) ?? [],
      );
      await stashStatusEvents(database.db, events, NOW);
      drain.request();
      await drain.settled();
      expect(workers).toHaveLength(2);
      const row = await database.db
        .selectFrom('messages')
        .select(['status', 'read_at'])
        .where('id', '=', 2)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'read', read_at: NOW + 3 });
    } finally {
      await drain.close();
    }
  },
  THREAD_TEST_TIMEOUT_MS,
);

it(
  'posts no wake-up while one is on its way to the thread, and still applies every stash',
  async () => {
    let posted = 0;
    const drain = new StatusDrainThread(
      { path: file },
      () => NOW,
      { applied: () => {}, log: () => {} },
      (data) => {
        const worker = spawnDrainWorker(data);
        const post = worker.postMessage.bind(worker);
        worker.postMessage = (message: { type?: string }) => {
          if (message?.type === 'drain') posted++;
          post(message);
        };
        return worker;
      },
    );
    drain.start();
    try {
      await drain.settled();
      const statuses = ['sent', 'delivered', 'read'] as const;
      // The second request of each pair finds the first one's wake-up still on its way.
      for (const [i, status] of statuses.entries()) {
        await stashStatusEvents(
          database.db,
          [toStatusInput(statusEvent(3, status, NOW + i + 1))].flatMap((e) => e ?? []),
          NOW,
        );
        drain.request();
        drain.request();
      }
      expect(posted).toBeLessThan(statuses.length * 2);
      await drain.settled();
      const row = await database.db
        .selectFrom('messages')
        .select(['status', 'sent_at', 'read_at'])
        .where('id', '=', 3)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'read', sent_at: NOW + 1, read_at: NOW + 3 });
    } finally {
      await drain.close();
    }
  },
  THREAD_TEST_TIMEOUT_MS,
);
