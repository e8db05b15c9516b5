import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './db.ts';
import { newWriteLockBuffer, releaseForThread, SqliteWriteLock } from './sqlite-write-lock.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock as the thread `holderThreadId` holds it. */
function lockOf(shared: SharedArrayBuffer, holderThreadId: number, isFirst = false, timeoutMs = 5_000) {
  return new SqliteWriteLock({ shared, isFirst, timeoutMs, holderThreadId });
}

describe('the SQLite write lock', () => {
  it('keeps a second thread waiting, without blocking it, until the holder releases', async () => {
    const shared = newWriteLockBuffer();
    const holder = lockOf(shared, 101);
    const waiter = lockOf(shared, 102, true);
    expect(await holder.acquire()).toBe(true);
    let isTaken = false;
    const waiting = waiter.acquire().then((taken) => (isTaken = taken));
    await sleep(50);
    expect(isTaken).toBe(false);
    holder.release();
    await waiting;
    expect(isTaken).toBe(true);
    // Held by the waiter now: the first holder waits in turn.
    let isTakenAgain = false;
    const again = holder.acquire().then((taken) => (isTakenAgain = taken));
    await sleep(20);
    expect(isTakenAgain).toBe(false);
    waiter.release();
    expect(await again).toBe(true);
  });

  it('lets the thread that sends go first: other waiters wait while it waits', async () => {
    const shared = newWriteLockBuffer();
    const drain = lockOf(shared, 201);
    const sender = lockOf(shared, 202, true);
    const other = lockOf(shared, 203);
    expect(await drain.acquire()).toBe(true);
    const order: string[] = [];
    const senderTakes = sender.acquire().then(() => order.push('sender'));
    await sleep(10);
    const otherTakes = other.acquire().then(() => order.push('other'));
    await sleep(10);
    drain.release();
    await senderTakes;
    await sleep(20);
    expect(order).toEqual(['sender']);
    sender.release();
    await otherTakes;
    expect(order).toEqual(['sender', 'other']);
    other.release();
  });

  it('gives up after its timeout and says so, leaving the decision to SQLite', async () => {
    const shared = newWriteLockBuffer();
    const holder = lockOf(shared, 301);
    await holder.acquire();
    const started = performance.now();
    expect(await lockOf(shared, 302, true, 100).acquire()).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    holder.release();
  });

  it('is freed when the thread that held it stops', async () => {
    const shared = newWriteLockBuffer();
    await lockOf(shared, 401).acquire();
    releaseForThread(shared, 999); // another thread's stop frees nothing
    expect(await lockOf(shared, 402, true, 50).acquire()).toBe(false);
    releaseForThread(shared, 401);
    expect(await lockOf(shared, 402, true, 50).acquire()).toBe(true);
  });
});

describe('two connections of one process sharing the lock', () => {
  let dir = '';
  const opened: Database[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a write waits for the other connection without stopping its event loop, then goes through', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'chorus-write-lock-'));
    const file = path.join(dir, 'lock.db');
    const main = openDatabase({ kind: 'sqlite', path: file });
    opened.push(main);
    // Both in this thread here; the lock tells its holders apart by thread, and neither is taken twice.
    const drain = openDatabase({ kind: 'sqlite', path: file }, { sharedWriteLock: main.sqliteWriteLock?.shared });
    opened.push(drain);
    await main.db.schema.createTable('t').addColumn('n', 'integer').execute();

    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const drainTransaction = drain.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('t' as never)
        .values({ n: 1 } as never)
        .execute();
      await held;
    });
    await sleep(20);
    // In SQLite's busy handler this insert would put the whole thread to sleep; here timers still fire.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const mainInsert = main.db
      .insertInto('t' as never)
      .values({ n: 2 } as never)
      .execute();
    await sleep(100);
    expect(ticks).toBeGreaterThan(5);
    release();
    await Promise.all([drainTransaction, mainInsert]);
    clearInterval(ticker);
    const rows = await main.db
      .selectFrom('t' as never)
      .select('n' as never)
      .execute();
    expect(rows).toHaveLength(2);
  });
});
