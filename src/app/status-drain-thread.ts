import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../module-worker.ts';
import { releaseForThread } from '../store/sqlite-write-lock.ts';
import type { DrainListener, InboxDrain } from './status-drain.ts';
import {
  type DrainWorkerData,
  drainWakeUp,
  type FromDrainWorker,
  type ToDrainWorker,
} from './status-drain-protocol.ts';

// On SQLite, applying sent/delivered/read took about a third of the one thread that also sends
// and answers webhooks. A thread of its own with its own connection applies them instead (WAL:
// its reads never block the sender; the single writer's lock is held one short transaction at a
// time, and every transaction begins IMMEDIATE, so neither side fails on a stale snapshot).

// The drain holds a few hundred events and their messages at a time.
const resourceLimits = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };
// A thread that stopped is started again after this, doubling while it keeps stopping before it
// applies anything; what it left stays in the inbox meanwhile.
const FIRST_RESTART_DELAY_MS = 500;
const MAX_RESTART_DELAY_MS = 30_000;
// How long a stop waits for the drain under way before the thread is ended anyway.
const STOP_TIMEOUT_MS = 10_000;

/** Starts a drain thread on the SQLite file `data.path`; tests pass their own to watch or end it. */
export type DrainWorkerSpawner = (data: DrainWorkerData) => Worker;

/** The drain thread as Chorus runs it. */
export const spawnDrainWorker: DrainWorkerSpawner = (data) =>
  startModuleWorker(new URL('./status-drain-worker.ts', import.meta.url), data, resourceLimits);

/**
 * The inbox drained on a thread of its own. Should the thread stop (a crash, memory), the stop is
 * logged through the listener and a new thread started: nothing is lost, the events wait stored.
 */
export class StatusDrainThread implements InboxDrain {
  readonly #data: DrainWorkerData;
  readonly #listener: DrainListener;
  readonly #spawn: DrainWorkerSpawner;
  readonly #wakeUp: ReturnType<typeof drainWakeUp>;
  readonly #settling = new Map<number, () => void>();
  #worker: Worker | undefined;
  #nextSettleId = 1;
  #restartDelayMs = FIRST_RESTART_DELAY_MS;
  #restart: NodeJS.Timeout | undefined;
  #isClosed = false;

  /** `writeLock`: the buffer of the write lock the process's other connection takes. */
  constructor(
    target: { path: string; writeLock?: SharedArrayBuffer | undefined },
    clock: () => number,
    listener: DrainListener,
    spawn: DrainWorkerSpawner = spawnDrainWorker,
  ) {
    const drainAsked = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.#data = { path: target.path, writeLock: target.writeLock, clockOffsetMs: clock() - Date.now(), drainAsked };
    this.#wakeUp = drainWakeUp(drainAsked);
    this.#listener = listener;
    this.#spawn = spawn;
  }

  start(): void {
    if (this.#isClosed || this.#worker) return;
    // A wake-up posted to a thread that stopped is lost; the new thread drains the inbox as it starts.
    this.#wakeUp.heard();
    const worker = this.#spawn(this.#data);
    this.#worker = worker;
    let crash: Error | undefined;
    worker.on('message', (message: FromDrainWorker) => this.#hear(message));
    worker.on('error', (error) => {
      crash = error;
    });
    // Read now: a thread that has ended answers -1.
    const { threadId } = worker;
    worker.once('exit', (code) => this.#stopped(worker, threadId, code, crash));
    for (const id of this.#settling.keys()) this.#post({ type: 'settle', id });
    this.#refWhileSettling();
  }

  // A post cost the thread that answers webhooks about half a millisecond on average while the
  // drain thread was busy (bench:dispatch), so a wake-up already on its way is not posted again.
  request(): void {
    if (this.#wakeUp.ask()) this.#post({ type: 'drain' });
  }

  settled(): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    const id = this.#nextSettleId++;
    return new Promise<void>((resolve) => {
      this.#settling.set(id, resolve);
      this.#refWhileSettling();
      this.#post({ type: 'settle', id });
    });
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    clearTimeout(this.#restart);
    const worker = this.#worker;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref();
      this.#post({ type: 'stop' });
      const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    for (const resolve of this.#settling.values()) resolve();
    this.#settling.clear();
  }

  #hear(message: FromDrainWorker): void {
    if (message.type === 'applied') {
      this.#restartDelayMs = FIRST_RESTART_DELAY_MS;
      this.#listener.applied(message.sample);
    } else if (message.type === 'log') {
      const err = message.err && Object.assign(new Error(message.err.message), { stack: message.err.stack });
      this.#listener.log(message.level, err ? { ...message.fields, err } : message.fields, message.message);
    } else if (message.type === 'storage') {
      this.#listener.storagePaused?.(message.isPaused);
    } else {
      this.#settling.get(message.id)?.();
      this.#settling.delete(message.id);
      this.#refWhileSettling();
    }
  }

  #stopped(worker: Worker, threadId: number, code: number, crash: Error | undefined): void {
    // A thread ended mid-transaction must not leave the lock taken.
    if (this.#data.writeLock) releaseForThread(this.#data.writeLock, threadId);
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    if (this.#isClosed) return;
    const delayMs = this.#restartDelayMs;
    this.#restartDelayMs = Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
    this.#listener.log(
      'error',
      { err: crash ?? new Error(`the thread exited with code ${code}`) },
      `the status drain thread stopped; starting it again in ${delayMs} ms (stored webhook events wait in webhook_inbox)`,
    );
    this.#restart = setTimeout(() => this.start(), delayMs);
    this.#restart.unref();
  }

  #post(message: ToDrainWorker): void {
    this.#worker?.postMessage(message);
  }

  /** Referenced only while someone waits on it, so the thread never keeps a finished process alive. */
  #refWhileSettling(): void {
    if (this.#settling.size > 0) this.#worker?.ref();
    else this.#worker?.unref();
  }
}
