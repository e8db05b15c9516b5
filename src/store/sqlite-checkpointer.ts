import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// A checkpoint copies the write-ahead log into the database file and syncs it to disk: tens to
// hundreds of milliseconds under a steady write load. Run by SQLite's auto-checkpoint, it happens
// inside whichever commit crosses the threshold, on the one thread that serves every request, so
// the whole process stalled for it every second or two (webhook answers waited up to 180 ms).
// A thread of its own with its own connection checkpoints instead; PASSIVE never blocks writers.

const CHECKPOINT_EVERY_MS = 250;

// Plain JavaScript, run as an eval'd worker: nothing to compile or locate beside the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const sqlite = new SQLite(workerData.file, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message));
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  sqlite.close();
  parentPort.close();
});
`;

/** Checkpoints one SQLite file's WAL from a background thread until stopped. */
export interface SqliteCheckpointer {
  stop(): Promise<void>;
}

/** Starts checkpointing `file` in a worker thread; `onError` hears a checkpoint that failed. */
export function startSqliteCheckpointer(file: string, onError: (message: string) => void): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, everyMs: CHECKPOINT_EVERY_MS },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  worker.on('message', (message: string) => onError(message));
  worker.on('error', (error) => onError(error.message));
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      // Unreferenced while it runs, so it never keeps a process alive; referenced while it stops,
      // or a process with nothing else left to do would exit before the thread closed its file.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
