import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Compilable } from 'kysely';
import type { QueryReader } from './query-reader.ts';

// SQLite's driver is synchronous: a count over a million-message campaign (a few hundred ms) would
// hold the thread that sends and answers webhooks. Reads that see only what is committed (the
// figures /metrics reports, a campaign's counts by status) run here instead, on a thread and a
// read-only connection of their own; in WAL mode a reader never blocks the writer.

// Plain JavaScript, run as an eval'd worker: nothing to compile or locate beside the build.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const sqlite = new SQLite(workerData.file, { readonly: true, fileMustExist: true });
sqlite.pragma('busy_timeout = 5000');
parentPort.on('message', (request) => {
  if (request === 'stop') {
    sqlite.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage({ id: request.id, rows: sqlite.prepare(request.sql).all(...request.parameters) });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: String(error && error.message) });
  }
});
`;

type Answer = { id: number; rows?: unknown[]; error?: string };

/** Runs read-only queries on a SQLite file from a background thread. */
export interface SqliteReader {
  /** The rows of a query built with Kysely, read on the background connection. */
  read<O>(query: Compilable<O>): Promise<O[]>;
  stop(): Promise<void>;
  /** True once the thread has ended (stopped, or crashed): it answers no more reads. */
  readonly hasEnded: boolean;
}

/** Starts a reader thread on `file` (which must exist). */
export function startSqliteReader(file: string): SqliteReader {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  const failAll = (error: Error) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', (answer: Answer) => {
    const entry = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) entry?.reject(new Error(answer.error));
    else entry?.resolve(answer.rows ?? []);
    if (waiting.size === 0) worker.unref();
  });
  worker.on('error', failAll);
  worker.unref();
  let hasEnded = false;
  const exited = new Promise<void>((resolve) =>
    worker.once('exit', () => {
      hasEnded = true;
      failAll(new Error('the SQLite reader thread stopped'));
      resolve();
    }),
  );
  return {
    get hasEnded() {
      return hasEnded;
    },
    read<O>(query: Compilable<O>): Promise<O[]> {
      const { sql, parameters } = query.compile();
      const id = nextId++;
      // Referenced while a read is under way, so a process waiting on it stays alive.
      worker.ref();
      return new Promise<O[]>((resolve, reject) => {
        waiting.set(id, { resolve: (rows) => resolve(rows as O[]), reject });
        worker.postMessage({ id, sql, parameters });
      });
    },
    async stop() {
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

/**
 * Reads on a background reader thread of `file`, started at the first read and started again after
 * one that ended; `stop` ends the thread for good.
 */
export function readInBackground(
  file: string,
  start: (file: string) => SqliteReader = startSqliteReader,
): { read: QueryReader; stop(): Promise<void> } {
  let reader: SqliteReader | undefined;
  let isStopped = false;
  return {
    read: (query) => {
      if (isStopped) return Promise.reject(new Error('the SQLite reader is stopped'));
      if (reader === undefined || reader.hasEnded) reader = start(file);
      return reader.read(query);
    },
    async stop() {
      isStopped = true;
      await reader?.stop();
    },
  };
}
