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
