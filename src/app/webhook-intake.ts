import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import { coerceError } from '../domain/errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { AppliedStatus, StatusEventInput } from '../store/status-events-repo.ts';
import { storageTroubleOf } from '../store/storage-errors.ts';
import {
  pickStashedBatches,
  recordDrainFailure,
  type StashedBatch,
  stashStatusEvents,
  takeStashedBatches,
} from '../store/webhook-inbox-repo.ts';
import { type ApplyContext, applyStatusEvents, applyWebhookEvents, toStatusInput } from './apply-webhook.ts';
import { StoragePause } from './storage-pause.ts';
import { type IntakeObserver, logStatusesApplied, logStatusesReceived } from './webhook-observer.ts';

// Events a drain applies in one transaction; the event loop turns between transactions, so a
// backlog never holds the process for long (SQLite's driver is synchronous).
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

/**
 * Receives verified webhook batches. What must act before the next claim (inbound messages,
 * preferences, template changes, failed statuses, which may carry an opt-out) is applied before
 * the answer. Sent, delivered and read only move a message's status forward: they are stored in
 * the inbox, which is all the 200 waits for, and applied by a drain right after, in batches.
 */
export class WebhookIntake {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #context: () => ApplyContext;
  readonly #observer: IntakeObserver | undefined;
  #draining: Promise<void> | null = null;
  #isDrainWanted = false;
  #poll: NodeJS.Timeout | null = null;
  #isClosed = false;
  readonly #storage: StoragePause;

  constructor(database: Database, logger: Logger, context: () => ApplyContext, observer?: IntakeObserver) {
    this.#database = database;
    this.#logger = logger;
    this.#context = context;
    this.#observer = observer;
    this.#storage = new StoragePause(logger, 'applying stored webhook events', () => this.#context().now);
  }

  /** Starts draining: whatever a previous run left in the inbox first, then on every POST and poll. */
  start(): void {
    this.#poll = setInterval(() => this.#requestDrain(), DRAIN_POLL_MS);
    this.#poll.unref();
    this.#requestDrain();
  }

  /** Makes one POST's events durable, and applies those that must act at once; `log` is the request's. */
  async receive(events: WebhookEvent[], log: Logger = this.#logger): Promise<void> {
    this.#observer?.received(events);
    const deferred: StatusEventInput[] = [];
    const atOnce: WebhookEvent[] = [];
    for (const event of events) {
      const status = event.kind === 'status' ? toStatusInput(event) : undefined;
      if (status && status.status !== 'failed') deferred.push(status);
      else atOnce.push(event);
    }
    logStatusesReceived(log, deferred);
    const context = { ...this.#context(), logger: log };
    await stashStatusEvents(this.#database.db, deferred, context.now);
    if (deferred.length > 0) this.#requestDrain();
    if (atOnce.length === 0) return;
    const result = await applyWebhookEvents(this.#database, atOnce, context);
    logStatusesApplied(log, result.applied);
    this.#observer?.applied({
      appliedAt: this.#context().now,
      events: atOnce.map((event) => ({
        receivedAt: context.now,
        occurredAt: 'timestampMs' in event ? event.timestampMs : null,
      })),
      changed: result.applied,
    });
  }

  /** Resolves once every stashed event so far is applied (tests, shutdown). */
  async settled(): Promise<void> {
    this.#requestDrain();
    while (this.#draining) await this.#draining;
  }

  /** Stops polling and waits for the drain under way. */
  async close(): Promise<void> {
    this.#isClosed = true;
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = null;
    while (this.#draining) await this.#draining;
  }

  #requestDrain(): void {
    if (this.#isClosed) return;
    this.#isDrainWanted = true;
    this.#draining ??= this.#drainWhileWanted().finally(() => {
      this.#draining = null;
      // A request that came while this drain was finishing must not wait for the next poll.
      if (this.#isDrainWanted) this.#requestDrain();
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
          this.#logger.error({ err: error }, 'applying stored webhook events failed');
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
    let picked: number[] = [];
    let applied: { batches: StashedBatch[]; changed: AppliedStatus[] };
    try {
      applied = await db.transaction().execute(async (tx) => {
        picked = await pickStashedBatches(tx, dialect, EVENTS_PER_DRAIN_TRANSACTION);
        const batches = await takeStashedBatches(tx, picked);
        const events = batches.flatMap((batch) => batch.events);
        const result = events.length > 0 ? await applyStatusEvents(tx, events, this.#context()) : undefined;
        return { batches, changed: result?.applied ?? [] };
      });
    } catch (error) {
      // A full disk or a database restart is no fault of the batches: they wait, uncounted.
      if (picked.length > 0 && storageTroubleOf(error) === undefined) await this.#noteFailure(picked, error);
      throw error;
    }
    this.#noteApplied(applied.batches, applied.changed);
    return applied.batches.reduce((n, batch) => n + batch.events.length, 0);
  }

  /** Tells the debug log and the observer what a committed drain applied. */
  #noteApplied(batches: readonly StashedBatch[], changed: readonly AppliedStatus[]): void {
    logStatusesApplied(this.#logger, changed);
    if (!this.#observer || batches.length === 0) return;
    const events = batches.flatMap((batch) =>
      batch.events.map((event) => ({ receivedAt: batch.receivedAt, occurredAt: event.occurredAt })),
    );
    this.#observer.applied({ appliedAt: this.#context().now, events, changed });
  }

  async #noteFailure(ids: number[], error: unknown): Promise<void> {
    const message = coerceError(error).message;
    const setAside = await recordDrainFailure(this.#database.db, ids, message, this.#context().now, MAX_DRAIN_ATTEMPTS);
    if (setAside.length === 0) return;
    this.#logger.error(
      { inboxIds: setAside, err: error },
      `webhook batches set aside after ${MAX_DRAIN_ATTEMPTS} failed drains; they stay in webhook_inbox (set_aside_at) for replay`,
    );
  }
}
