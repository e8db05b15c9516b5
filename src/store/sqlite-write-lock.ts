// SQLite lets one connection write at a time. A connection that wants to write while another does
// waits in SQLite's busy handler, which puts its whole thread to sleep 1, 2, 5, 10… ms at a time:
// the thread that sends and answers webhooks stood still for milliseconds whenever the status
// drain thread was writing, and went on sleeping after the drain was done. The threads of one
// process that write to the same file take this lock first instead: a waiter's event loop goes on
// (Atomics.waitAsync), the lock passes on the moment it is released, and the thread that sends goes
// first. SQLite's own lock still guards the file; this one only decides who asks for it, so a
// waiter that gives up after the busy timeout goes on to SQLite's lock as it did before.
import { threadId } from 'node:worker_threads';

/** What a process's writing threads share: pass `shared` to each thread's lock. */
export interface SqliteWriteLockOptions {
  shared: SharedArrayBuffer;
  /** Whether this thread goes first: others wait while it waits. */
  isFirst: boolean;
  /** How long to wait before going on to SQLite's own lock (its busy timeout). */
  timeoutMs: number;
  /** Who takes it: this thread's id unless said (tests stand in for other threads). */
  holderThreadId?: number;
}

// Int32 cells of the shared buffer.
const HOLDER = 0; // 0 when free, else the holder's token
const FIRST_WAITING = 1; // how many waiters go first

/** A buffer for a new lock. */
export function newWriteLockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** The write lock as one thread holds it. */
export class SqliteWriteLock {
  readonly #cells: Int32Array;
  readonly #isFirst: boolean;
  readonly #timeoutMs: number;
  // Unique per thread of the process; 0 means free.
  readonly #token: number;

  constructor(options: SqliteWriteLockOptions) {
    this.#cells = new Int32Array(options.shared);
    this.#isFirst = options.isFirst;
    this.#timeoutMs = options.timeoutMs;
    this.#token = (options.holderThreadId ?? threadId) + 1;
  }

  /** Waits for the lock; answers whether it was taken (false: waited out, SQLite's lock decides). */
  async acquire(): Promise<boolean> {
    const cells = this.#cells;
    const isOthersTurn = !this.#isFirst && Atomics.load(cells, FIRST_WAITING) > 0;
    if (!isOthersTurn && this.#take() === 0) return true;
    const deadline = performance.now() + this.#timeoutMs;
    if (this.#isFirst) Atomics.add(cells, FIRST_WAITING, 1);
    try {
      for (;;) {
        const left = deadline - performance.now();
        if (left <= 0) return false;
        const firstWaiting = this.#isFirst ? 0 : Atomics.load(cells, FIRST_WAITING);
        if (firstWaiting > 0) {
          await waitWhile(cells, FIRST_WAITING, firstWaiting, left);
          continue;
        }
        const holder = this.#take();
        if (holder === 0) return true;
        await waitWhile(cells, HOLDER, holder, left);
      }
    } finally {
      if (this.#isFirst && Atomics.sub(cells, FIRST_WAITING, 1) === 1) Atomics.notify(cells, FIRST_WAITING);
    }
  }

  release(): void {
    releaseHeldBy(this.#cells, this.#token);
  }

  /** Runs work holding the lock (or, waited out, without it). */
  async holding<T>(work: () => Promise<T>): Promise<T> {
    const isHeld = await this.acquire();
    try {
      return await work();
    } finally {
      if (isHeld) this.release();
    }
  }

  /** Takes the lock if it is free; answers who held it (0: now this thread). */
  #take(): number {
    return Atomics.compareExchange(this.#cells, HOLDER, 0, this.#token);
  }
}

/** Frees the lock if a thread that stopped (by its threadId) still held it. */
export function releaseForThread(shared: SharedArrayBuffer, stoppedThreadId: number): void {
  releaseHeldBy(new Int32Array(shared), stoppedThreadId + 1);
}

function releaseHeldBy(cells: Int32Array, token: number): void {
  if (Atomics.compareExchange(cells, HOLDER, token, 0) === token) Atomics.notify(cells, HOLDER);
}

async function waitWhile(cells: Int32Array, index: number, value: number, timeoutMs: number): Promise<void> {
  const waited = Atomics.waitAsync(cells, index, value, timeoutMs);
  if (waited.async) await waited.value;
}
