import type { WebhookEvent } from '../cloud-api/webhook-events.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/db.ts';
import type { StatusEventInput } from '../store/status-events-repo.ts';
import { stashStatusEvents } from '../store/webhook-inbox-repo.ts';
import { type ApplyContext, applyWebhookEvents, toStatusInput } from './apply-webhook.ts';
import { InboxStash } from './inbox-stash.ts';
import { type DrainListener, type InboxDrain, StatusDrain } from './status-drain.ts';
import { StatusDrainThread } from './status-drain-thread.ts';
import type { StoragePauseObserver } from './storage-pause.ts';
import { type IntakeObserver, logStatusesApplied, logStatusesReceived } from './webhook-observer.ts';

export { MAX_DRAIN_ATTEMPTS } from './status-drain.ts';

/** Where the intake reports to, and where its drain runs. */
export interface IntakeOptions {
  observer?: IntakeObserver;
  /**
   * The SQLite file of `database`: the drain then runs on a thread and a connection of its own.
   * Without it (PostgreSQL, whose server does the work anyway; an in-memory SQLite) it runs here.
   */
  sqliteFile?: string;
  /** Hears the drain pause for the store and resume (metrics). */
  storageObserver?: StoragePauseObserver;
}

/**
 * Receives verified webhook batches. What must act before the next claim (inbound messages,
 * preferences, template changes, failed statuses, which may carry an opt-out) is applied before
 * the answer. Sent, delivered and read only move a message's status forward: they are stored in
 * the inbox (those of the POSTs that arrive together in one row, inbox-stash.ts), which is all
 * the 200 waits for, and applied by a drain right after, in batches.
 */
export class WebhookIntake {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #context: () => ApplyContext;
  readonly #observer: IntakeObserver | undefined;
  readonly #drain: InboxDrain;
  readonly #stash: InboxStash;

  constructor(database: Database, logger: Logger, context: () => ApplyContext, options: IntakeOptions = {}) {
    this.#database = database;
    this.#logger = logger;
    this.#context = context;
    this.#observer = options.observer;
    this.#stash = new InboxStash(async (events, receivedAt) => {
      await stashStatusEvents(database.db, events, receivedAt);
      this.#drain.request();
    });
    const clock = () => this.#context().now;
    const listener: DrainListener = {
      applied: (sample) => {
        logStatusesApplied(logger, sample.changed);
        this.#observer?.applied(sample);
      },
      log: (level, fields, message) => logger[level](fields, message),
      storagePaused: (isPaused) => options.storageObserver?.('webhook_drain', isPaused),
    };
    this.#drain = options.sqliteFile
      ? new StatusDrainThread(
          { path: options.sqliteFile, writeLock: database.sqliteWriteLock?.shared },
          clock,
          listener,
        )
      : new StatusDrain(database, clock, listener);
  }

  /** Starts draining: whatever a previous run left in the inbox first, then on every POST and poll. */
  start(): void {
    this.#drain.start();
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
    await this.#stash.add(deferred, context.now);
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
  settled(): Promise<void> {
    return this.#drain.settled();
  }

  /** Stops draining and waits for the drain under way. */
  close(): Promise<void> {
    return this.#drain.close();
  }
}
