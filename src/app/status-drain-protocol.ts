// What the thread that serves and the status drain thread say to each other (status-drain-thread.ts).
import type { DrainLogLevel } from './status-drain.ts';
import type { AppliedSample } from './webhook-observer.ts';

/** What the drain thread starts with. */
export interface DrainWorkerData {
  /** The SQLite file the drain opens a connection of its own to. */
  path: string;
  /** Added to the thread's Date.now(), so its times are the caller's clock's. */
  clockOffsetMs: number;
  /** The write lock of the process's writing threads (sqlite-write-lock.ts). */
  writeLock?: SharedArrayBuffer;
  /**
   * One Int32, 1 while a `drain` message is on its way (drainWakeUp): a webhook that finds it set
   * posts nothing, since the drain that message starts reads its events too.
   */
  drainAsked: SharedArrayBuffer;
}

/** The flag of DrainWorkerData.drainAsked. */
export function drainWakeUp(buffer: SharedArrayBuffer) {
  const flag = new Int32Array(buffer);
  return {
    /** The caller's: true when a `drain` message must be posted (none is on its way). */
    ask: () => Atomics.exchange(flag, 0, 1) === 0,
    /** The drain thread's, before the drain a `drain` message starts: later stashes ask again. */
    heard: () => Atomics.store(flag, 0, 0),
  };
}

/** To the drain thread: drain now; answer once settled; stop. */
export type ToDrainWorker = { type: 'drain' } | { type: 'settle'; id: number } | { type: 'stop' };

/** An error as it crosses threads: enough for a log line. */
export interface ErrorInfo {
  message: string;
  stack?: string;
}

/** From the drain thread: what it applied, what failed, a pause for the store, a settle answered. */
export type FromDrainWorker =
  | { type: 'applied'; sample: AppliedSample }
  | { type: 'log'; level: DrainLogLevel; message: string; err?: ErrorInfo; fields: Record<string, unknown> }
  | { type: 'storage'; isPaused: boolean }
  | { type: 'settled'; id: number };
