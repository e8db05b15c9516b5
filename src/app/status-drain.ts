import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { coerceError } from '../domain/errors.ts';
import type { Database } from '../store/db.ts';
import { type AppliedStatus, recordStatusEvents } from '../store/status-events-repo.ts';
import { storageTroubleOf } from '../store/storage-errors.ts';
import {
  pickStashedBatches,
  recordDrainFailure,
  type StashedBatch,
  takeStashedBatches,
} from '../store/webhook-inbox-repo.ts';
import { enqueueOutboundEvents, statusEvent } from './outbound-events.ts';
import { StoragePause } from './storage-pause.ts';
import type { AppliedSample } from './webhook-observer.ts';

// Events a drain applies in one transaction; the event loop turns between transactions, so a
// backlog never holds the process for long (SQLite's driver is synchronous), and on a drain
// thread the write lock is free between them for the thread that sends.
const EVENTS_PER_DRAIN_TRANSACTION = 200;
// How long a drain holds the event loop before letting other work in. One transaction a turn
// starved the drain behind a dispatcher sending flat out; a slice keeps every wait short and
// still gives the drain its share.
const DRAIN_SLICE_MS = 10;
// How often the inbox is looked at without a POST to prompt it: rows left by a crash, or on
// PostgreSQL by another process that stopped before its drain.
const DRAIN_POLL_MS = 1_000;
/**
 * Drains a batch may fail before it is set aside: a fault of the batch itself, not of the
 * database, which would fail the count as well. Set-aside batches stay in the inbox for replay.
 */
export const MAX_DRAIN_ATTEMPTS = 5;

/** How much a drain's log line matters. */
export type DrainLogLevel = 'error' | 'warn' | 'info';

/** Hears what a drain did: what it applied, and what went wrong (a log line's fields and message). */
export interface DrainListener {
  applied(sample: AppliedSample): void;
  log(
    level: DrainLogLevel,
    fields: { err?: Error; inboxIds?: number[] } & Record<string, unknown>,
    message: string,
  ): void;
  /** The drain paused because the store is in trouble (true), or resumed (false). */
  storagePaused?(isPaused: boolean): void;
}

/** Drains the webhook inbox: what the answer deferred, applied where it runs. */
export interface InboxDrain {
  /** Starts draining: whatever a previous run left first, then on every request and poll. */
  start(): void;
  /** Asks for a drain soon: events were just stashed. */
  request(): void;
  /** Resolves once every event stashed so far is applied (tests, shutdown). */
  settled(): Promise<void>;
  /** Stops polling and waits for the drain under way. */
  close(): Promise<void>;
}

/**
 * Applies the sent, delivered and read statuses a webhook's answer left in the inbox, in short
 * transactions. They call for no effects beyond the message's status and the integrators' events (a
 * failed status, which may carry an opt-out, is applied before the answer), so a drain needs only the
 * store and a clock.
 */
export class StatusDrain implements InboxDrain {
  readonly #database: Database;
  readonly #clock: () => number;
  readonly #listener: DrainListener;
  #draining: Promise<void> | null = null;
  #isDrainWanted = false;
  #poll: NodeJS.Timeout | null = null;
  #isClosed = false;
  readonly #storage: StoragePause;

  constructor(database: Database, clock: () => number, listener: DrainListener) {
    this.#database = database;
    this.#clock = clock;
    this.#listener = listener;
    const log = {
      warn: (fields: Record<string, unknown>, message: string) => listener.log('warn', fields, message),
      info: (fields: Record<string, unknown>, message: string) => listener.log('info', fields, message),
    };
    this.#storage = new StoragePause(log, 'webhook_drain', clock, (_, isPaused) => listener.storagePaused?.(isPaused));
  }

  start(): void {
    this.#poll = setInterval(() => this.request(), DRAIN_POLL_MS);
    this.#poll.unref();
    this.request();
  }

  async settled(): Promise<void> {
    this.request();
    while (this.#draining) await this.#draining;
  }

  async close(): Promise<void> {
    this.#isClosed = true;
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    while (this.#draining) await this.#draining;
  }

  request(): void {
    if (this.#isClosed) return;
    this.#isDrainWanted = true;
    this.#draining ??= this.#drainWhileWanted().finally(() => {
      this.#draining = null;
      // A request that came while this drain was finishing must not wait for the next poll.
      if (this.#isDrainWanted) this.request();
    });
  }

  async #drainWhileWanted(): Promise<void> {
    while (this.#isDrainWanted) {
      this.#isDrainWanted = false;
      try {
        while (await this.#drainForAWhile()) await nextTurnOfEventLoop();
        this.#storage.noteSuccess();
      } catch (error) {
        // The events stay in the inbox; the next poll tries again.
        if (!this.#storage.noteFailure(error))
          this.#listener.log('error', { err: coerceError(error) }, 'applying stored webhook events failed');
        return;
      }
    }
  }

  /** Applies transactions back to back for one time slice; answers whether events may remain. */
  async #drainForAWhile(): Promise<boolean> {
    const sliceEnd = performance.now() + DRAIN_SLICE_MS;
    do {
      if ((await this.#drainOnce()) === 0) return false;
    } while (performance.now() < sliceEnd);
    return true;
  }

  async #drainOnce(): Promise<number> {
    const { db, dialect } = this.#database;
    const now = this.#clock();
    let picked: number[] = [];
    let applied: { batches: StashedBatch[]; changed: AppliedStatus[] };
    try {
      applied = await db.transaction().execute(async (tx) => {
        picked = await pickStashedBatches(tx, dialect, EVENTS_PER_DRAIN_TRANSACTION);
        const batches = await takeStashedBatches(tx, picked);
        const changed = await recordStatusEvents(
          tx,
          batches.flatMap((batch) => batch.events),
          now,
        );
        // Integrators hear of a status exactly when it is stored: in this transaction.
        await enqueueOutboundEvents(tx, changed.map(statusEvent), now);
        return { batches, changed };
      });
    } catch (error) {
      // A full disk or a database restart is no fault of the batches: they wait, uncounted.
      if (picked.length > 0 && storageTroubleOf(error) === undefined) await this.#noteFailure(picked, error);
      throw error;
    }
    const { batches, changed } = applied;
    if (batches.length > 0) this.#listener.applied(toSample(this.#clock(), batches, changed));
    return batches.reduce((n, batch) => n + batch.events.length, 0);
  }

  async #noteFailure(ids: number[], error: unknown): Promise<void> {
    const message = coerceError(error).message;
    const setAside = await recordDrainFailure(this.#database.db, ids, message, this.#clock(), MAX_DRAIN_ATTEMPTS);
    if (setAside.length === 0) return;
    this.#listener.log(
      'error',
      { inboxIds: setAside, err: coerceError(error) },
      `webhook batches set aside after ${MAX_DRAIN_ATTEMPTS} failed drains; they stay in webhook_inbox (set_aside_at) for replay`,
    );
  }
}

/** What a committed drain applied, for the observer and the debug log. */
function toSample(appliedAt: number, batches: readonly StashedBatch[], changed: AppliedStatus[]): AppliedSample {
  const events = batches.flatMap((batch) =>
    batch.events.map((event) => ({ receivedAt: batch.receivedAt, occurredAt: event.occurredAt })),
  );
  return { appliedAt, events, changed };
}
